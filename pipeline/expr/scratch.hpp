#pragma once
// Storage for strings computed during an evaluation.

#include "pipeline/expr/expression.hpp"
#include "pipeline/expr/pattern.hpp"

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace sluice::expr {

/// A chunked bump allocator. Pieces never move, so a view handed out stays valid until reset();
/// reset() keeps the chunks, so an evaluation in steady state allocates nothing.
class Arena {
public:
    /// `n` bytes valid until the next reset(). Throws std::bad_alloc only when growing.
    char* allocate(std::size_t n);
    /// Forgets every piece; keeps the memory for reuse.
    void reset() {
        current_ = 0;
        used_ = 0;
    }
    /// Bytes reserved across all chunks.
    std::size_t capacity() const;

private:
    struct Chunk {
        std::unique_ptr<char[]> data;
        std::size_t size = 0;
    };
    std::vector<Chunk> chunks_;
    std::size_t current_ = 0;
    std::size_t used_ = 0;
};

} // namespace sluice::expr

namespace sluice {

struct EvalContext::Scratch {
    expr::Arena arena;
    /// Reused by matches(): its backtracking memory is kept from one search to the next.
    expr::Matcher matcher;
};

} // namespace sluice
