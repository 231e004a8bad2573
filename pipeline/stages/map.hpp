#pragma once
// map: sets, renames, drops and keeps fields.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `map`, as data.
std::span<const OptionSpec> map_options();

/// Builds a map stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_map(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
