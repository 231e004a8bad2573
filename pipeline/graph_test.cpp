#include "pipeline/graph.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

namespace {

struct CaptureSink : SinkPort {
    EventBatch events;
    void accept(std::span<Event> batch) override {
        for (auto& e : batch) {
            events.push_back(std::move(e));
        }
    }
};

// Passes events whose `v` is even to port 0 and odd ones to port 1.
struct SplitStage : Stage {
    void process(std::span<Event> batch, Emitter& out, Nanos) override {
        for (auto& e : batch) {
            out.emit(std::move(e), e.get(intern("v")).as_int() % 2 ? 1u : 0u);
        }
    }
    std::vector<std::string> output_names() const override { return {"even", "odd"}; }
};

// Holds events until its deadline, then releases them.
struct DelayStage : Stage {
    EventBatch held;
    Nanos due = kNever;
    void process(std::span<Event> batch, Emitter&, Nanos now) override {
        for (auto& e : batch) {
            held.push_back(e);
        }
        due = now + 10;
    }
    Nanos next_deadline() const override { return due; }
    void on_timer(Nanos, Emitter& out) override {
        for (auto& e : held) {
            out.emit(std::move(e));
        }
        held.clear();
        due = kNever;
    }
};

// Keeps the events whose `v` is a multiple of `divisor` and tags each kept one with it.
struct KeepMultiples : InPlaceStage {
    explicit KeepMultiples(int d) : divisor(d) {}
    int divisor;
    std::size_t process_in_place(std::span<Event> batch, Nanos) override {
        return compact(batch, [this](Event& e) {
            if (e.get(intern("v")).as_int() % divisor != 0) {
                return false;
            }
            e.set(intern("by" + std::to_string(divisor)), Value::boolean(true));
            return true;
        });
    }
};

std::vector<std::int64_t> values(const EventBatch& events) {
    std::vector<std::int64_t> out;
    for (const auto& e : events) {
        out.push_back(e.get(intern("v")).as_int());
    }
    return out;
}

EventBatch numbered(int count) {
    EventBatch batch(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        batch[static_cast<std::size_t>(i)].set(intern("v"), Value::integer(i));
    }
    return batch;
}

} // namespace

TEST_CASE("graph routes named outputs and fans out copies") {
    Graph g;
    CaptureSink evens, odds, all;
    auto src = g.add_source("src");
    auto split = g.add_stage("split", std::make_unique<SplitStage>());
    g.connect(src, 0, split);
    g.connect(src, 0, g.add_sink("all", &all));
    g.connect(split, 0, g.add_sink("evens", &evens));
    g.connect(split, 1, g.add_sink("odds", &odds));
    REQUIRE(g.finish().empty());

    CHECK(g.counters(split).last_event == 0);
    auto batch = numbered(10);
    g.push(src, batch, 42);
    CHECK(g.counters(split).last_event == 42);
    CHECK(all.events.size() == 10);
    CHECK(evens.events.size() == 5);
    CHECK(odds.events.size() == 5);
    CHECK(odds.events[0].get(intern("v")).as_int() == 1);
    CHECK(g.counters(split).events_in == 10);
    CHECK(g.counters(split).events_out == 10);
}

TEST_CASE("in-place stages pass the events they keep on, in order, without touching copies") {
    // src fans out to two in-place stages: `by2` works on a copy, `by3` on the batch itself.
    // by2's output fans out again: to a sink and to `by4`, which keeps working in place.
    Graph g;
    CaptureSink twos, fours, threes;
    auto src = g.add_source("src");
    auto by2 = g.add_stage("by2", std::make_unique<KeepMultiples>(2));
    auto by3 = g.add_stage("by3", std::make_unique<KeepMultiples>(3));
    auto by4 = g.add_stage("by4", std::make_unique<KeepMultiples>(4));
    g.connect(src, 0, by2);
    g.connect(src, 0, by3);
    g.connect(by2, 0, g.add_sink("twos", &twos));
    g.connect(by2, 0, by4);
    g.connect(by4, 0, g.add_sink("fours", &fours));
    g.connect(by3, 0, g.add_sink("threes", &threes));
    REQUIRE(g.finish().empty());

    for (int round = 0; round < 2; ++round) {
        auto batch = numbered(13);
        g.push(src, batch, 0);
    }
    CHECK(values(twos.events) ==
          std::vector<std::int64_t>{0, 2, 4, 6, 8, 10, 12, 0, 2, 4, 6, 8, 10, 12});
    CHECK(values(fours.events) == std::vector<std::int64_t>{0, 4, 8, 12, 0, 4, 8, 12});
    CHECK(values(threes.events) == std::vector<std::int64_t>{0, 3, 6, 9, 12, 0, 3, 6, 9, 12});
    // Each branch saw only its own changes.
    CHECK(twos.events[1].has(intern("by2")));
    CHECK_FALSE(twos.events[1].has(intern("by4")));
    CHECK_FALSE(threes.events[1].has(intern("by2")));
    CHECK(fours.events[1].has(intern("by2")));
    CHECK(fours.events[1].has(intern("by4")));
    CHECK(g.counters(by2).events_in == 26);
    CHECK(g.counters(by2).events_out == 14);
    CHECK(g.counters(by4).events_out == 8);
    CHECK(g.counters(by3).events_out == 10);
}

TEST_CASE("graph reports a cycle by name") {
    Graph g;
    auto a = g.add_stage("a", std::make_unique<DelayStage>());
    auto b = g.add_stage("b", std::make_unique<DelayStage>());
    g.connect(a, 0, b);
    g.connect(b, 0, a);
    auto cycle = g.finish();
    REQUIRE(cycle.size() == 3);
    CHECK(cycle.front() == cycle.back());
}

TEST_CASE("graph runs due timers and delivers their output") {
    Graph g;
    CaptureSink sink;
    auto src = g.add_source("src");
    auto delay = g.add_stage("delay", std::make_unique<DelayStage>());
    g.connect(src, 0, delay);
    g.connect(delay, 0, g.add_sink("sink", &sink));
    REQUIRE(g.finish().empty());

    auto batch = numbered(3);
    g.push(src, batch, 100);
    CHECK(sink.events.empty());
    CHECK(g.next_deadline() == 110);
    g.run_timers(109);
    CHECK(sink.events.empty());
    g.run_timers(110);
    CHECK(sink.events.size() == 3);
    CHECK(g.next_deadline() == kNever);
}
