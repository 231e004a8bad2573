#pragma once
// route: sends each event to every named route whose condition it matches, else to `_unmatched`.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `route`, as data.
std::span<const OptionSpec> route_options();

/// Builds a route stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_route(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
