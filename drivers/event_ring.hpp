#pragma once
// A FIFO of events that grows by doubling and reuses its slots: no allocation per event once
// it has reached its working size.

#include "pipeline/event.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace sluice {

class EventRing {
public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    void push_back(Event&& event) {
        if (size_ == slots_.size()) {
            grow();
        }
        slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(event);
        ++size_;
    }
    void pop_front() {
        head_ = (head_ + 1) & (slots_.size() - 1);
        --size_;
    }
    Event& front() { return slots_[head_]; }

    /// Moves up to `max` events from the front into `out` (appending).
    void take(std::size_t max, EventBatch& out) {
        for (; max > 0 && size_ > 0; --max) {
            out.push_back(std::move(front()));
            pop_front();
        }
    }

private:
    void grow() {
        std::vector<Event> bigger(slots_.empty() ? 64 : slots_.size() * 2);
        for (std::size_t i = 0; i < size_; ++i) {
            bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
        }
        slots_ = std::move(bigger);
        head_ = 0;
    }

    std::vector<Event> slots_; // size is zero or a power of two
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

} // namespace sluice
