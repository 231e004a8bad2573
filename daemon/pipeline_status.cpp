#include "daemon/pipeline_runner.hpp"

#include "daemon/pipeline_slots.hpp"

#include <algorithm>

namespace sluice {

namespace {

double age_seconds(Nanos then, Nanos now) {
    return static_cast<double>(std::max<Nanos>(0, now - then)) / 1e9;
}

ComponentRow row_of(const ComponentStatus& status, Nanos now) {
    ComponentRow row;
    row.name = status.name;
    row.kind = std::string(kind_name(status.kind));
    row.type = status.type;
    row.state = std::string(state_name(status.state));
    row.events_in = status.events_in;
    row.events_out = status.events_out;
    row.events_dropped = status.events_dropped;
    row.errors = status.errors;
    row.bytes_in = status.bytes_in;
    row.bytes_out = status.bytes_out;
    row.queue_depth = status.queue_depth;
    if (status.last_event > 0) {
        row.last_event_age_s = age_seconds(status.last_event, now);
    }
    row.last_error = status.last_error;
    return row;
}

} // namespace

ComponentRow PipelineRunner::stage_row(Graph::NodeId node, Nanos now) const {
    ComponentRow row;
    row.name = graph_->name(node);
    row.kind = nodes_[node].kind;
    row.type = nodes_[node].type;
    row.state =
        std::string(state_name(stopping_ ? ComponentState::stopped : ComponentState::running));
    auto counters = graph_->counters(node);
    if (auto it = carried_.find(row.name); it != carried_.end()) {
        counters.events_in += it->second.events_in;
        counters.events_out += it->second.events_out;
        counters.last_event = std::max(counters.last_event, it->second.last_event);
    }
    row.events_in = counters.events_in;
    row.events_out = counters.events_out;
    if (counters.last_event > 0) {
        row.last_event_age_s = age_seconds(counters.last_event, now);
    }
    if (const auto* stage = graph_->stage(node)) {
        row.events_dropped = stage->counters().dropped;
        row.errors = stage->counters().errors;
        row.evictions = stage->counters().evictions;
        row.last_error = stage->counters().last_error;
        row.queue_depth = stage->buffered();
    }
    return row;
}

std::vector<ComponentRow> PipelineRunner::rows(Nanos now) const {
    std::vector<ComponentRow> rows;
    for (Graph::NodeId id = 0; id < graph_->size(); ++id) {
        switch (graph_->kind(id)) {
        case Graph::NodeKind::source:
            for (const auto& slot : sources_) {
                if (slot->node == id) {
                    rows.push_back(row_of(slot->source->status(), now));
                }
            }
            break;
        case Graph::NodeKind::stage:
            rows.push_back(stage_row(id, now));
            break;
        case Graph::NodeKind::sink:
            for (const auto& slot : sinks_) {
                if (slot->node == id) {
                    rows.push_back(row_of(slot->sink->status(), now));
                }
            }
            break;
        }
    }
    return rows;
}

} // namespace sluice
