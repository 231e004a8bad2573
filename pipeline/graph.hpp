#pragma once
// The pipeline graph: sources feed stages feed sinks, wired by `inputs:`. Pure: the graph moves
// batches between stages and hands them to sink ports; it does no I/O itself.

#include "pipeline/event.hpp"
#include "pipeline/function_ref.hpp"
#include "pipeline/stage.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sluice {

/// Where the graph delivers events for a sink or actuator. Implemented by drivers/ (a bounded
/// queue in front of the real I/O) and by tests.
class SinkPort {
public:
    virtual ~SinkPort() = default;
    /// Takes a batch; the port may move events out of it. Must not throw.
    virtual void accept(std::span<Event> events) = 0;
    /// False while the sink's queue is full under `when_full: block`: sources feeding it pause.
    virtual bool accepting() const { return true; }
};

/// Sees every batch a node emits (the status socket's `tap`).
class Observer {
public:
    virtual ~Observer() = default;
    virtual void observe(std::span<const Event> events) = 0;
};

class Graph {
public:
    using NodeId = std::uint32_t;
    enum class NodeKind { source, stage, sink };

    struct NodeCounters {
        std::uint64_t events_in = 0;
        std::uint64_t events_out = 0;
        Nanos last_event = 0; // the pipeline clock when events last came in, 0 if never
    };

    NodeId add_source(std::string name);
    NodeId add_stage(std::string name, std::unique_ptr<Stage> stage);
    /// The graph does not own `sink`; it must outlive the graph's use of it.
    NodeId add_sink(std::string name, SinkPort* sink);

    /// Routes output `port` of `from` into `to`. Connecting in a cycle is the caller's error
    /// (config/ rejects cycles); finish() asserts there is none.
    void connect(NodeId from, std::uint32_t port, NodeId to);
    /// Computes the topological order and which sinks each source feeds. Call once, after
    /// every connect(). Returns the names of the nodes of a cycle, empty when there is none.
    std::vector<std::string> finish();

    /// Runs a batch that `source` produced through every stage downstream, into the sinks.
    /// Events may be moved out of `batch`.
    void push(NodeId source, std::span<Event> batch, Nanos now);

    /// The earliest deadline of any stage, or kNever.
    Nanos next_deadline() const;
    /// Runs every stage whose deadline is due, in topological order, and delivers the output.
    void run_timers(Nanos now);
    /// Flushes the stages for which `which(id)` is true (Stage::flush), in topological order,
    /// so what one stage lets go reaches the stages after it before they flush, and delivers
    /// the output. At shutdown every stage; at a reload the replaced and removed ones.
    void flush(Nanos now, FunctionRef<bool(NodeId)> which);
    void flush(Nanos now) {
        flush(now, [](NodeId) { return true; });
    }

    /// Whether every sink fed by `source` is accepting (see SinkPort::accepting).
    bool can_accept(NodeId source) const;

    std::optional<NodeId> find(std::string_view name) const;
    std::size_t size() const { return nodes_.size(); }
    const std::string& name(NodeId id) const { return nodes_[id].name; }
    NodeKind kind(NodeId id) const { return nodes_[id].kind; }
    Stage* stage(NodeId id) const { return nodes_[id].stage.get(); }
    /// Gives up ownership of a stage (a reload keeps an unchanged stage's state).
    std::unique_ptr<Stage> take_stage(NodeId id) {
        nodes_[id].in_place = nullptr;
        return std::move(nodes_[id].stage);
    }
    const NodeCounters& counters(NodeId id) const { return nodes_[id].counters; }
    /// Adds or removes (nullptr) an observer of what node `id` emits.
    /// Every output of a node, for add_observer().
    static constexpr std::uint32_t kAllOutputs = UINT32_MAX;
    /// `observer` sees the batches node `id` emits on `output` (a port of a stage with named
    /// outputs, such as a route), or on any output.
    void add_observer(NodeId id, Observer* observer, std::uint32_t output = kAllOutputs);
    void remove_observer(NodeId id, Observer* observer);

private:
    struct Node {
        std::string name;
        NodeKind kind;
        std::unique_ptr<Stage> stage;
        InPlaceStage* in_place = nullptr; // `stage`, when it works in place
        SinkPort* sink = nullptr;
        std::vector<std::vector<NodeId>> consumers; // per output port
        std::vector<EventBatch> outputs;            // per output port, reused across calls
        EventBatch inbox;                           // copies for fan-out, reused
        std::vector<NodeId> fed_sinks;              // sources only
        struct Watch {
            Observer* observer;
            std::uint32_t output; // or kAllOutputs
        };
        std::vector<Watch> observers;
        NodeCounters counters;
    };

    void deliver(NodeId from, std::uint32_t port, std::span<Event> events, Nanos now);
    void feed(NodeId to, std::span<Event> events, Nanos now);
    /// Passes on what a stage emitted through `emitter`; its copies count once in events_out.
    void emit_outputs(NodeId id, const Emitter& emitter, Nanos now);
    /// Shows `events` to node `id`'s observers as its output on `port`, then delivers them.
    /// The caller has counted them in the node's events_out.
    void pass_on(NodeId id, std::uint32_t port, std::span<Event> events, Nanos now);

    std::vector<Node> nodes_;
    std::vector<NodeId> order_; // stages in topological order
};

} // namespace sluice
