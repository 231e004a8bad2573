#pragma once
// Counts heap allocations made by this process: operator new and malloc alike (events that spill
// their inline storage use malloc directly). For benchmarks only.

#include <cstdint>

namespace sluice::bench {

/// Allocations (operator new, malloc, calloc, realloc, aligned allocations) since start; always 0
/// in a sanitizer build, where the sanitizer owns malloc.
std::uint64_t allocations();

} // namespace sluice::bench
