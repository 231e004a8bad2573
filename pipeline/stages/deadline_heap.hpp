#pragma once
// The pending deadlines of a keyed stage: at most one per slot, earliest first.

#include "pipeline/event.hpp"

#include <cstdint>
#include <vector>

namespace sluice {

/// An indexed binary min-heap of (deadline, slot). Each slot has at most one deadline, which
/// set() moves in place, so the heap never holds more entries than the stage has keys and
/// next() is O(1) however many keys there are. Ties go to the lower slot, so the order in which
/// due keys fire is deterministic. Never throws except std::bad_alloc (growing to a new slot).
class DeadlineHeap {
public:
    /// The earliest deadline, or kNever.
    Nanos next() const { return heap_.empty() ? kNever : heap_.front().at; }
    /// The slot with the earliest deadline; only when !empty().
    std::uint32_t top() const { return heap_.front().slot; }
    bool empty() const { return heap_.empty(); }
    std::size_t size() const { return heap_.size(); }

    /// Sets (or moves) the deadline of `slot`; kNever removes it.
    void set(std::uint32_t slot, Nanos at);
    /// Removes the deadline of `slot`, if it has one.
    void remove(std::uint32_t slot) { set(slot, kNever); }
    /// The deadline of `slot`, or kNever.
    Nanos at(std::uint32_t slot) const {
        return slot < pos_.size() && pos_[slot] != kNone ? heap_[pos_[slot]].at : kNever;
    }

private:
    static constexpr std::uint32_t kNone = UINT32_MAX;
    struct Item {
        Nanos at;
        std::uint32_t slot;
        bool before(const Item& o) const { return at < o.at || (at == o.at && slot < o.slot); }
    };

    void place(std::uint32_t i, Item item);
    void sift_up(std::uint32_t i);
    void sift_down(std::uint32_t i);
    void remove_at(std::uint32_t i);

    std::vector<Item> heap_;
    std::vector<std::uint32_t> pos_; // per slot: index in heap_, or kNone
};

} // namespace sluice
