#include "daemon/pipeline_runner.hpp"

#include "daemon/pipeline_slots.hpp"

#include <algorithm>

namespace sluice {

void PipelineRunner::retire_source(const std::shared_ptr<SourceSlot>& slot) {
    slot->retired = true;
    slot->source->stop();
    if (!slot->done) {
        --sources_running_;
    }
}

void PipelineRunner::retire_sink(const std::shared_ptr<SinkSlot>& slot) {
    slot->retired = true;
    slot->sink->stop();
    if (slot->done) {
        return; // ended already (its output gone, or an error): nothing to drain
    }
    slot->drain_timer = std::make_unique<Timer>(scheduler_);
    timers_.spawn(abort_after(slot, drain_timeout_), slot->sink->status().name + " drain");
    draining_.push_back(slot);
}

void PipelineRunner::carry_counters(const Graph& old_graph, const ReloadPlan& plan) {
    std::unordered_map<std::string, Graph::NodeCounters> carried;
    for (Graph::NodeId id = 0; id < old_graph.size(); ++id) {
        const auto& name = old_graph.name(id);
        if (old_graph.kind(id) != Graph::NodeKind::stage ||
            plan.action(name) != ReloadAction::keep) {
            continue;
        }
        auto total = carried_[name];
        total.events_in += old_graph.counters(id).events_in;
        total.events_out += old_graph.counters(id).events_out;
        total.last_event = std::max(total.last_event, old_graph.counters(id).last_event);
        carried[name] = total;
    }
    carried_ = std::move(carried);
}

std::shared_ptr<PipelineRunner::SourceSlot>
PipelineRunner::find_source(const std::string& name) const {
    for (const auto& slot : sources_) {
        if (slot->source->status().name == name) {
            return slot;
        }
    }
    return nullptr;
}

std::shared_ptr<PipelineRunner::SinkSlot> PipelineRunner::find_sink(const std::string& name) const {
    for (const auto& slot : sinks_) {
        if (slot->sink->status().name == name) {
            return slot;
        }
    }
    return nullptr;
}

void PipelineRunner::assemble_source(const ComponentConfig& component, bool keep,
                                     BuiltPipeline& fresh, Assembly& next) {
    auto slot = keep ? find_source(component.name) : nullptr;
    if (!slot) {
        auto it = std::find_if(fresh.sources.begin(), fresh.sources.end(), [&](const auto& e) {
            return e.source && e.source->status().name == component.name;
        });
        slot = std::make_shared<SourceSlot>(*this, std::move(it->source), 0);
        slot->predecessor = find_source(component.name);
        next.new_sources.push_back(slot);
    }
    slot->node = next.graph->add_source(component.name);
    next.sources.push_back(slot);
}

void PipelineRunner::assemble_sink(const ComponentConfig& component, bool keep,
                                   BuiltPipeline& fresh, Assembly& next) {
    auto slot = keep ? find_sink(component.name) : nullptr;
    if (!slot) {
        auto it = std::find_if(fresh.sinks.begin(), fresh.sinks.end(), [&](const auto& e) {
            return e.sink && e.sink->status().name == component.name;
        });
        slot = std::make_shared<SinkSlot>(scheduler_, std::move(it->sink), 0);
        slot->predecessor = find_sink(component.name);
        next.new_sinks.push_back(slot);
    }
    slot->node = next.graph->add_sink(component.name, slot->sink.get());
    next.sinks.push_back(slot);
}

PipelineRunner::Assembly PipelineRunner::assemble(const ReloadPlan& plan,
                                                  const PipelineConfig& config,
                                                  BuiltPipeline& fresh) {
    Assembly next;
    next.graph = std::make_unique<Graph>();
    for (const auto& component : config.components) {
        bool keep = plan.action(component.name) == ReloadAction::keep;
        switch (component.kind) {
        case ComponentKind::source:
            assemble_source(component, keep, fresh, next);
            break;
        case ComponentKind::stage: {
            // A kept stage moves over with its state: windows, alarms, per-key tables.
            auto old_node = graph_->find(component.name);
            auto stage = keep && old_node
                             ? graph_->take_stage(*old_node)
                             : fresh.graph->take_stage(*fresh.graph->find(component.name));
            next.graph->add_stage(component.name, std::move(stage));
            break;
        }
        case ComponentKind::sink:
        case ComponentKind::actuator:
            assemble_sink(component, keep, fresh, next);
            break;
        }
    }
    Diagnostics unused;
    wire_graph(*next.graph, config, unused); // `fresh` was wired from the same config already
    return next;
}

void PipelineRunner::swap(const ReloadPlan& plan, const PipelineConfig& config,
                          BuiltPipeline fresh) {
    // Everything below runs without suspending, so no source pushes in the middle of it.
    // Replaced and removed stages hand on what they hold through the old graph, as at
    // shutdown, so kept stages and sinks downstream get it before the switch.
    graph_->flush(wall_clock_now(), [&](Graph::NodeId id) {
        return plan.action(graph_->name(id)) != ReloadAction::keep;
    });
    auto next = assemble(plan, config, fresh);
    carry_counters(*graph_, plan);
    for (const auto& slot : sources_) {
        if (plan.action(slot->source->status().name) != ReloadAction::keep) {
            retire_source(slot);
        }
    }
    for (const auto& slot : sinks_) {
        if (plan.action(slot->sink->status().name) != ReloadAction::keep) {
            retire_sink(slot);
        }
    }
    std::erase_if(draining_, [](const auto& slot) { return slot->done; });
    graph_ = std::move(next.graph);
    sources_ = std::move(next.sources);
    sinks_ = std::move(next.sinks);
    describe(config);
    reattach_taps();
    for (auto& slot : next.new_sinks) {
        spawn_sink(slot);
    }
    for (auto& slot : next.new_sources) {
        spawn_source(slot);
    }
    // Sources waiting for room re-check against the new graph's sinks.
    capacity_.notify();
    uv_timer_stop(deadline_timer_);
    armed_deadline_ = kNever;
    arm_deadline();
    if (sources_running_ == 0 && !stopping_ && on_finished_) {
        on_finished_("every source has ended");
    }
    check_sinks_gone(); // a reload may have removed the last sink that could still write
}

void PipelineRunner::reattach_taps() {
    std::vector<TapObserver*> attached;
    for (auto* tap : taps_) {
        std::string unused;
        if (auto point = tap_point(tap->component(), unused)) {
            graph_->add_observer(point->node, tap, point->output);
            attached.push_back(tap);
        } else {
            tap->component_gone();
        }
    }
    taps_ = std::move(attached);
}

} // namespace sluice
