#pragma once
// Checks of the option tables themselves, for a test over the daemon's whole registry: a default
// that fails its own check, or a key a kind declares twice (or that its section already
// declares), would surface as a confusing error in every user's file.

#include "config/kind_registry.hpp"
#include "pipeline/diagnostics.hpp"

namespace sluice {

/// Reports (as errors without a position) every problem in the section tables and in the
/// tables of every kind in `registry`: a default that fails its own option's check, a key
/// declared twice in the options a component accepts, an undocumented option, a choice without
/// choices, a required option with a default, a stage kind without a factory. Returns whether
/// there was none.
bool check_kind_tables(const KindRegistry& registry, Diagnostics& diagnostics);

} // namespace sluice
