#include "drivers/event_queue.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace sluice;

namespace {

Event numbered(std::int64_t n) {
    Event e;
    e.set(intern("n"), Value::integer(n));
    return e;
}

std::vector<std::int64_t> numbers(std::span<Event> events) {
    std::vector<std::int64_t> out;
    for (const auto& e : events) {
        out.push_back(e.get(intern("n")).as_int());
    }
    return out;
}

void push(EventQueue& queue, std::int64_t from, std::int64_t to) {
    for (auto n = from; n < to; ++n) {
        queue.push_back(numbered(n));
    }
}

} // namespace

TEST_CASE("event queue hands out events oldest first, at most max at a time") {
    EventQueue queue;
    push(queue, 0, 5);
    CHECK(numbers(queue.take(3)) == std::vector<std::int64_t>{0, 1, 2});
    CHECK(queue.size() == 2);
    push(queue, 5, 6);
    std::vector<std::int64_t> rest;
    for (auto taken = queue.take(10); !taken.empty(); taken = queue.take(10)) {
        auto chunk = numbers(taken);
        rest.insert(rest.end(), chunk.begin(), chunk.end());
    }
    CHECK(rest == std::vector<std::int64_t>{3, 4, 5});
    CHECK(queue.empty());
}

TEST_CASE("events taken by the writer stay put while the queue grows behind them") {
    EventQueue queue;
    push(queue, 0, 4);
    auto taken = queue.take(100);
    // Enough pushes to make the other buffer reallocate several times.
    push(queue, 4, 5000);
    queue.pop_front();
    queue.clear();
    CHECK(numbers(taken) == std::vector<std::int64_t>{0, 1, 2, 3});
    CHECK(queue.empty());
}

TEST_CASE("dropping the oldest events keeps order and bounds the buffer") {
    EventQueue queue;
    push(queue, 0, 5000);
    for (int i = 0; i < 3000; ++i) {
        queue.pop_front();
    }
    CHECK(queue.size() == 2000);
    auto first = numbers(queue.take(2));
    CHECK(first == std::vector<std::int64_t>{3000, 3001});
    queue.pop_front();
    auto rest = numbers(queue.take(5000));
    REQUIRE(rest.size() == 1997);
    CHECK(rest.front() == 3003);
    CHECK(rest.back() == 4999);
    push(queue, 0, 3);
    queue.clear();
    CHECK(queue.empty());
}
