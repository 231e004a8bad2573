#pragma once
// The one place that lists every component type the daemon knows.

#include "config/kind_registry.hpp"

namespace sluice {

/// Stage, source and sink kinds, for loading and validating configuration.
const KindRegistry& builtin_registry();

} // namespace sluice
