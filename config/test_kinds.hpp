#pragma once
// Fake component kinds for the config tests: small, stable option tables that exercise every
// option type, a stage with named outputs, a stage whose factory reports errors, and sinks whose
// factory check (KindSpec::check) compares two options.

#include "config/kind_registry.hpp"

namespace sluice::testing {

/// Sources serial, generator, tcp_client; stages pass, split, scale; sinks stdout, file,
/// serial, null.
const KindRegistry& test_registry();

/// test_registry() plus the real stage kinds of builtin_stage_kinds().
const KindRegistry& golden_registry();

} // namespace sluice::testing
