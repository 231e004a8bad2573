#include "pipeline/expr/scratch.hpp"

#include <algorithm>

namespace sluice::expr {

char* Arena::allocate(std::size_t n) {
    while (current_ < chunks_.size()) {
        Chunk& chunk = chunks_[current_];
        if (chunk.size - used_ >= n) {
            char* p = chunk.data.get() + used_;
            used_ += n;
            return p;
        }
        ++current_;
        used_ = 0;
    }
    // Doubling keeps the number of chunks logarithmic in the largest evaluation seen.
    std::size_t size = std::max<std::size_t>(n, chunks_.empty() ? 256 : chunks_.back().size * 2);
    chunks_.push_back({std::make_unique<char[]>(size), size});
    current_ = chunks_.size() - 1;
    used_ = n;
    return chunks_.back().data.get();
}

std::size_t Arena::capacity() const {
    std::size_t total = 0;
    for (const auto& c : chunks_) {
        total += c.size;
    }
    return total;
}

} // namespace sluice::expr
