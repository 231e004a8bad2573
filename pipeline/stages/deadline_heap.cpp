#include "pipeline/stages/deadline_heap.hpp"

namespace sluice {

void DeadlineHeap::place(std::uint32_t i, Item item) {
    heap_[i] = item;
    pos_[item.slot] = i;
}

void DeadlineHeap::sift_up(std::uint32_t i) {
    auto item = heap_[i];
    while (i > 0) {
        auto parent = (i - 1) / 2;
        if (!item.before(heap_[parent])) {
            break;
        }
        place(i, heap_[parent]);
        i = parent;
    }
    place(i, item);
}

void DeadlineHeap::sift_down(std::uint32_t i) {
    auto item = heap_[i];
    auto n = static_cast<std::uint32_t>(heap_.size());
    for (;;) {
        auto child = 2 * i + 1;
        if (child >= n) {
            break;
        }
        if (child + 1 < n && heap_[child + 1].before(heap_[child])) {
            ++child;
        }
        if (!heap_[child].before(item)) {
            break;
        }
        place(i, heap_[child]);
        i = child;
    }
    place(i, item);
}

void DeadlineHeap::remove_at(std::uint32_t i) {
    pos_[heap_[i].slot] = kNone;
    auto last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) {
        return;
    }
    place(i, last);
    sift_up(i);
    sift_down(pos_[last.slot]);
}

void DeadlineHeap::set(std::uint32_t slot, Nanos at) {
    if (slot >= pos_.size()) {
        if (at == kNever) {
            return;
        }
        pos_.resize(slot + 1, kNone);
    }
    auto i = pos_[slot];
    if (at == kNever) {
        if (i != kNone) {
            remove_at(i);
        }
        return;
    }
    if (i == kNone) {
        heap_.push_back({at, slot});
        i = static_cast<std::uint32_t>(heap_.size() - 1);
        pos_[slot] = i;
        sift_up(i);
        return;
    }
    auto old = heap_[i].at;
    heap_[i].at = at;
    if (at < old) {
        sift_up(i);
    } else if (at > old) {
        sift_down(i);
    }
}

} // namespace sluice
