#pragma once
// window: tumbling or hopping windows per key on the pipeline clock, emitting aggregates as each
// closes.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `window`, as data.
std::span<const OptionSpec> window_options();

/// Builds a window stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_window(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
