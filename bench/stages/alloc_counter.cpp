// Replaces the global allocation functions of the benchmark binary with counting wrappers.
// glibc allows a program to replace malloc and friends; the wrappers forward to its internal
// entry points, so behaviour is unchanged apart from the count.
#include "bench/stages/alloc_counter.hpp"

#ifdef SLUICE_NO_ALLOC_COUNTER

std::uint64_t sluice::bench::allocations() {
    return 0;
}

#else

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);
}

namespace {
std::atomic<std::uint64_t> g_count{0};

void* counted(void* p) {
    g_count.fetch_add(1, std::memory_order_relaxed);
    return p;
}
} // namespace

std::uint64_t sluice::bench::allocations() {
    return g_count.load(std::memory_order_relaxed);
}

extern "C" {
void* malloc(std::size_t size) {
    return counted(__libc_malloc(size));
}
void* calloc(std::size_t count, std::size_t size) {
    return counted(__libc_calloc(count, size));
}
void* realloc(void* p, std::size_t size) {
    return counted(__libc_realloc(p, size));
}
void* memalign(std::size_t alignment, std::size_t size) {
    return counted(__libc_memalign(alignment, size));
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
    return counted(__libc_memalign(alignment, size));
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    void* p = __libc_memalign(alignment, size);
    if (!p) {
        return ENOMEM;
    }
    *out = counted(p);
    return 0;
}
void free(void* p) {
    __libc_free(p);
}
}

// operator new goes through malloc above, so each allocation is counted once.
void* operator new(std::size_t size) {
    if (void* p = std::malloc(size ? size : 1)) {
        return p;
    }
    throw std::bad_alloc{};
}
void* operator new[](std::size_t size) {
    return ::operator new(size);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

#endif // SLUICE_NO_ALLOC_COUNTER
