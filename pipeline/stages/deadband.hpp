#pragma once
// deadband: forwards an event only when its field moved by at least `delta` since the value
// last forwarded for its key.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `deadband`, as data.
std::span<const OptionSpec> deadband_options();

/// Builds a deadband stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_deadband(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
