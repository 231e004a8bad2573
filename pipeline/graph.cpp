#include "pipeline/graph.hpp"

#include <algorithm>
#include <functional>

namespace sluice {

Graph::NodeId Graph::add_source(std::string name) {
    Node node;
    node.name = std::move(name);
    node.kind = NodeKind::source;
    node.consumers.resize(1);
    node.outputs.resize(1);
    nodes_.push_back(std::move(node));
    return static_cast<NodeId>(nodes_.size() - 1);
}

Graph::NodeId Graph::add_stage(std::string name, std::unique_ptr<Stage> stage) {
    Node node;
    node.name = std::move(name);
    node.kind = NodeKind::stage;
    auto ports = stage->port_count();
    node.consumers.resize(ports);
    node.outputs.resize(ports);
    node.in_place = dynamic_cast<InPlaceStage*>(stage.get());
    node.stage = std::move(stage);
    nodes_.push_back(std::move(node));
    return static_cast<NodeId>(nodes_.size() - 1);
}

Graph::NodeId Graph::add_sink(std::string name, SinkPort* sink) {
    Node node;
    node.name = std::move(name);
    node.kind = NodeKind::sink;
    node.sink = sink;
    nodes_.push_back(std::move(node));
    return static_cast<NodeId>(nodes_.size() - 1);
}

void Graph::connect(NodeId from, std::uint32_t port, NodeId to) {
    nodes_[from].consumers[port].push_back(to);
}

std::vector<std::string> Graph::finish() {
    // Depth-first topological sort; a grey node met again closes a cycle.
    enum class Mark { white, grey, black };
    std::vector<Mark> marks(nodes_.size(), Mark::white);
    std::vector<NodeId> stack;
    std::vector<std::string> cycle;
    std::vector<NodeId> reverse_order;
    std::function<void(NodeId)> visit = [&](NodeId id) {
        if (!cycle.empty() || marks[id] == Mark::black) {
            return;
        }
        if (marks[id] == Mark::grey) {
            auto start = std::find(stack.begin(), stack.end(), id);
            for (auto it = start; it != stack.end(); ++it) {
                cycle.push_back(nodes_[*it].name);
            }
            cycle.push_back(nodes_[id].name);
            return;
        }
        marks[id] = Mark::grey;
        stack.push_back(id);
        for (const auto& port : nodes_[id].consumers) {
            for (auto next : port) {
                visit(next);
            }
        }
        stack.pop_back();
        marks[id] = Mark::black;
        reverse_order.push_back(id);
    };
    for (NodeId id = 0; id < nodes_.size(); ++id) {
        visit(id);
    }
    if (!cycle.empty()) {
        return cycle;
    }
    order_.clear();
    for (auto it = reverse_order.rbegin(); it != reverse_order.rend(); ++it) {
        if (nodes_[*it].kind == NodeKind::stage) {
            order_.push_back(*it);
        }
    }
    // Which sinks each source reaches, for backpressure.
    for (NodeId id = 0; id < nodes_.size(); ++id) {
        if (nodes_[id].kind != NodeKind::source) {
            continue;
        }
        std::vector<bool> seen(nodes_.size(), false);
        std::vector<NodeId> todo{id};
        while (!todo.empty()) {
            auto at = todo.back();
            todo.pop_back();
            for (const auto& port : nodes_[at].consumers) {
                for (auto next : port) {
                    if (!seen[next]) {
                        seen[next] = true;
                        todo.push_back(next);
                        if (nodes_[next].kind == NodeKind::sink) {
                            nodes_[id].fed_sinks.push_back(next);
                        }
                    }
                }
            }
        }
    }
    return {};
}

void Graph::push(NodeId source, std::span<Event> batch, Nanos now) {
    auto& node = nodes_[source];
    node.counters.events_in += batch.size();
    node.counters.events_out += batch.size();
    for (const auto& watch : node.observers) {
        watch.observer->observe(batch);
    }
    deliver(source, 0, batch, now);
}

void Graph::deliver(NodeId from, std::uint32_t port, std::span<Event> events, Nanos now) {
    const auto& consumers = nodes_[from].consumers[port];
    for (std::size_t i = 0; i < consumers.size(); ++i) {
        auto to = consumers[i];
        if (i + 1 == consumers.size()) {
            // The last consumer may take the events themselves.
            feed(to, events, now);
        } else {
            // Earlier consumers get copies. The inbox of `to` is free: the graph is acyclic,
            // so `to` is not already on the call stack.
            auto& inbox = nodes_[to].inbox;
            inbox.assign(events.begin(), events.end());
            feed(to, inbox, now);
            inbox.clear();
        }
    }
}

void Graph::feed(NodeId to, std::span<Event> events, Nanos now) {
    auto& node = nodes_[to];
    node.counters.events_in += events.size();
    node.counters.last_event = now;
    if (node.kind == NodeKind::sink) {
        node.sink->accept(events);
        return;
    }
    if (node.in_place) {
        auto kept = events.first(node.in_place->process_in_place(events, now));
        if (!kept.empty()) {
            node.counters.events_out += kept.size();
            pass_on(to, 0, kept, now);
        }
        return;
    }
    Emitter emitter(node.outputs);
    node.stage->process(events, emitter, now);
    emit_outputs(to, emitter, now);
}

void Graph::emit_outputs(NodeId id, const Emitter& emitter, Nanos now) {
    auto& outputs = nodes_[id].outputs;
    std::uint64_t emitted = 0;
    for (const auto& batch : outputs) {
        emitted += batch.size();
    }
    // An event sent to several outputs (route) is one event sent, not one per output.
    nodes_[id].counters.events_out += emitted - emitter.copies();
    for (std::uint32_t port = 0; port < outputs.size(); ++port) {
        auto& batch = outputs[port];
        if (batch.empty()) {
            continue;
        }
        pass_on(id, port, batch, now);
        batch.clear();
    }
}

void Graph::pass_on(NodeId id, std::uint32_t port, std::span<Event> events, Nanos now) {
    for (const auto& watch : nodes_[id].observers) {
        if (watch.output == kAllOutputs || watch.output == port) {
            watch.observer->observe(events);
        }
    }
    deliver(id, port, events, now);
}

Nanos Graph::next_deadline() const {
    Nanos next = kNever;
    for (auto id : order_) {
        next = std::min(next, nodes_[id].stage->next_deadline());
    }
    return next;
}

void Graph::run_timers(Nanos now) {
    for (auto id : order_) {
        auto& node = nodes_[id];
        if (node.stage->next_deadline() <= now) {
            Emitter emitter(node.outputs);
            node.stage->on_timer(now, emitter);
            emit_outputs(id, emitter, now);
        }
    }
}

void Graph::flush(Nanos now, FunctionRef<bool(NodeId)> which) {
    for (auto id : order_) {
        if (!which(id)) {
            continue;
        }
        Emitter emitter(nodes_[id].outputs);
        nodes_[id].stage->flush(now, emitter);
        emit_outputs(id, emitter, now);
    }
}

bool Graph::can_accept(NodeId source) const {
    for (auto sink : nodes_[source].fed_sinks) {
        if (!nodes_[sink].sink->accepting()) {
            return false;
        }
    }
    return true;
}

std::optional<Graph::NodeId> Graph::find(std::string_view name) const {
    for (NodeId id = 0; id < nodes_.size(); ++id) {
        if (nodes_[id].name == name) {
            return id;
        }
    }
    return std::nullopt;
}

void Graph::add_observer(NodeId id, Observer* observer, std::uint32_t output) {
    nodes_[id].observers.push_back({observer, output});
}

void Graph::remove_observer(NodeId id, Observer* observer) {
    std::erase_if(nodes_[id].observers,
                  [&](const Node::Watch& watch) { return watch.observer == observer; });
}

} // namespace sluice
