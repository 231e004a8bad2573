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

    auto batch = numbered(10);
    g.push(src, batch, 0);
    CHECK(all.events.size() == 10);
    CHECK(evens.events.size() == 5);
    CHECK(odds.events.size() == 5);
    CHECK(odds.events[0].get(intern("v")).as_int() == 1);
    CHECK(g.counters(split).events_in == 10);
    CHECK(g.counters(split).events_out == 10);
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
