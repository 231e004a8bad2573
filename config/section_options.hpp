#pragma once
// The options every component of a section accepts whatever its type (sources: type; stages:
// inputs, key, max_keys; sinks: inputs, buffer; actuators: the sink ones plus on_change_only,
// min_interval, safe_state, stale_after), and the daemon section's options. Data, like each kind's
// table: validation, defaults, `check --print` and docs/config.md come from them.

#include "pipeline/options.hpp"

#include <span>

namespace sluice {

/// The options of the top-level `daemon:` section.
std::span<const OptionSpec> daemon_options();

/// The options common to every component of `kind`, `type` first.
std::span<const OptionSpec> common_options(ComponentKind kind);

/// The keys of a sink's or actuator's `buffer:` mapping.
std::span<const OptionSpec> buffer_options();

} // namespace sluice
