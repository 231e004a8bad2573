#pragma once
// stale: reports keys that fall silent for `timeout`, and their return.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `stale`, as data.
std::span<const OptionSpec> stale_options();

/// Builds a stale stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_stale(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
