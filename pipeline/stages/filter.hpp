#pragma once
// filter: passes the events for which `condition` is true.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `filter`, as data.
std::span<const OptionSpec> filter_options();

/// Builds a filter stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_filter(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
