#pragma once
// Test support: counts heap allocations made through operator new in a test binary, so a test
// can assert that a hot path allocates nothing. Linking this library replaces the global
// operator new/delete of the binary (every plain and nothrow form, so sanitizers see matching
// pairs).

#include <cstdint>

namespace sluice::test {

/// operator new calls so far in this process.
std::uint64_t allocations();

} // namespace sluice::test
