#pragma once
// rule: the per-key alarm/trigger state machine: set when `when` holds (for `for`), clear when
// `clear` holds (for `clear_for`).

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <span>

namespace sluice {

/// The options of `rule`, as data.
std::span<const OptionSpec> rule_options();

/// Builds a rule stage from `config`. Reports bad options to `diagnostics` and returns
/// nullptr. Throws only std::bad_alloc.
std::unique_ptr<Stage> make_rule(const ComponentConfig& config, Diagnostics& diagnostics);

} // namespace sluice
