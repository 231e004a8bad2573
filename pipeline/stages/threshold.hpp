#pragma once
// threshold: an alarm on one numeric field crossing a limit, with hysteresis (sugar over rule).

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `threshold`, as data.
std::span<const OptionSpec> threshold_options();

/// Builds a threshold stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_threshold(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
