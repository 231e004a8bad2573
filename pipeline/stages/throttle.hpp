#pragma once
// throttle: passes at most `rate` events per interval per key; the excess is dropped.

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `throttle`, as data.
std::span<const OptionSpec> throttle_options();

/// Builds a throttle stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_throttle(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
