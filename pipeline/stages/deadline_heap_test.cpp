#include "pipeline/stages/deadline_heap.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

using namespace sluice;

TEST_CASE("deadline heap yields the earliest deadline, ties to the lower slot") {
    DeadlineHeap heap;
    CHECK(heap.next() == kNever);
    heap.set(3, 50);
    heap.set(1, 50);
    heap.set(2, 70);
    CHECK(heap.next() == 50);
    CHECK(heap.top() == 1);
    heap.set(1, 80); // moved later
    CHECK(heap.top() == 3);
    heap.remove(3);
    CHECK(heap.top() == 2);
    heap.set(1, 10); // moved earlier
    CHECK(heap.top() == 1);
    CHECK(heap.size() == 2);
    heap.set(9, kNever); // removing an unknown slot is a no-op
    CHECK(heap.size() == 2);
}

TEST_CASE("deadline heap matches an ordered set under random updates") {
    DeadlineHeap heap;
    std::map<std::uint32_t, Nanos> at;
    std::set<std::pair<Nanos, std::uint32_t>> order;
    std::mt19937 rng(11);
    for (int i = 0; i < 50000; ++i) {
        auto slot = static_cast<std::uint32_t>(rng() % 200);
        Nanos when = rng() % 7 == 0 ? kNever : static_cast<Nanos>(rng() % 1000);
        if (at.count(slot)) {
            order.erase({at[slot], slot});
            at.erase(slot);
        }
        if (when != kNever) {
            at[slot] = when;
            order.insert({when, slot});
        }
        heap.set(slot, when);
        REQUIRE(heap.size() == order.size());
        if (!order.empty()) {
            REQUIRE(heap.next() == order.begin()->first);
            REQUIRE(heap.top() == order.begin()->second);
            REQUIRE(heap.at(slot) == when);
        }
    }
}
