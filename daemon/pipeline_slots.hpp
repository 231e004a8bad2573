#pragma once
// The running sources and sinks of a PipelineRunner; only its own .cpp files include this.

#include "daemon/pipeline_runner.hpp"

namespace sluice {

/// A running source and the graph entry it pushes into. The source keeps a reference to its
/// SourceOutput for as long as it runs, so a kept source keeps its slot across reloads; only
/// `node` changes.
struct PipelineRunner::SourceSlot final : SourceOutput {
    SourceSlot(PipelineRunner& r, std::unique_ptr<Source> s, Graph::NodeId n)
        : runner(r), source(std::move(s)), node(n), finished(r.scheduler_) {}

    void push(EventBatch& batch) override {
        if (retired) {
            // A source told to stop may still deliver what it had read: it goes in through its
            // successor of the same name, or is dropped (counted) if the source was removed.
            auto successor = runner.graph_->find(source->status().name);
            if (successor && runner.graph_->kind(*successor) == Graph::NodeKind::source) {
                runner.push(*successor, batch);
            } else {
                source->status().events_dropped += batch.size();
            }
            return;
        }
        runner.push(node, batch);
    }
    // Once the runner stops, a source waiting for room must wake up and see that it is stopping;
    // what it still pushes is at most one batch past the bound, drained or counted by the sinks.
    bool accepting() const override {
        return retired || runner.stopping_ || runner.graph_->can_accept(node);
    }
    Task<void> capacity_changed() override { co_await runner.capacity_.wait(); }

    PipelineRunner& runner;
    std::unique_ptr<Source> source;
    Graph::NodeId node;
    bool retired = false;
    bool done = false;
    Notify finished;
    std::shared_ptr<SourceSlot> predecessor;
};

struct PipelineRunner::SinkSlot {
    SinkSlot(Scheduler& scheduler, std::unique_ptr<Sink> s, Graph::NodeId n)
        : sink(std::move(s)), node(n), finished(scheduler) {}

    std::unique_ptr<Sink> sink;
    Graph::NodeId node;
    bool retired = false;
    bool done = false;
    Notify finished;
    std::shared_ptr<SinkSlot> predecessor;
    std::unique_ptr<Timer> drain_timer; // replaced sinks: aborts a drain that takes too long
};

} // namespace sluice
