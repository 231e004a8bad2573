#pragma once
// The queue in front of a sink's writer.

#include "pipeline/event.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <utility>

namespace sluice {

/// A FIFO of events in two buffers: the graph appends to one while the writer takes chunks
/// from the other, so an event is moved once, into the queue, and written from where it lies.
/// Costs no allocation per event once both buffers have reached their working size.
class EventQueue {
public:
    std::size_t size() const { return (draining_.size() - next_) + (pending_.size() - head_); }
    bool empty() const { return size() == 0; }

    void push_back(Event&& event) { pending_.push_back(std::move(event)); }
    /// Drops the oldest queued event (never one handed out by take()).
    void pop_front() {
        if (next_ < draining_.size()) {
            ++next_;
            return;
        }
        ++head_;
        if (head_ == pending_.size()) {
            pending_.clear();
            head_ = 0;
        } else if (head_ >= kCompactAfter && head_ * 2 >= pending_.size()) {
            // Dropped events are only skipped; erasing them in bulk keeps this O(1) amortised
            // and the buffer no larger than twice what is queued.
            pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }
    /// Drops every queued event (not those handed out by take()).
    void clear() {
        next_ = draining_.size();
        pending_.clear();
        head_ = 0;
    }

    /// Hands the writer up to `max` of the oldest events and removes them from the queue. The
    /// span stays valid, and push_back() and pop_front() leave it alone, until the next take().
    std::span<Event> take(std::size_t max) {
        if (next_ == draining_.size()) {
            // The buffers change places; no event moves.
            draining_.clear();
            std::swap(draining_, pending_);
            next_ = head_;
            head_ = 0;
        }
        auto count = std::min(max, draining_.size() - next_);
        std::span<Event> events(draining_.data() + next_, count);
        next_ += count;
        return events;
    }

private:
    static constexpr std::size_t kCompactAfter = 1024;

    EventBatch draining_; // the writer's: taken up to next_, queued after
    std::size_t next_ = 0;
    EventBatch pending_; // where new events go; queued from head_
    std::size_t head_ = 0;
};

} // namespace sluice
