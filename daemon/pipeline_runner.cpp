#include "daemon/pipeline_runner.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"

#include <algorithm>

namespace sluice {

namespace {

void log_failure(const std::string& name, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Cancelled&) {
        // Shutdown or a reload cancelled it: not a failure.
    } catch (const std::exception& e) {
        log_error(name, e.what());
    }
}

template <typename Slot>
Task<void> wait_finished(std::shared_ptr<Slot> slot) {
    while (!slot->done) {
        co_await slot->finished.wait();
    }
}

std::uint64_t to_ms(Nanos ns) {
    return static_cast<std::uint64_t>(std::max<Nanos>(0, ns) / 1'000'000);
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
        row.last_event_age_s =
            static_cast<double>(std::max<Nanos>(0, now - status.last_event)) / 1e9;
    }
    row.last_error = status.last_error;
    return row;
}

} // namespace

/// A running source and the graph entry it pushes into. The source keeps a reference to its
/// SourceOutput for as long as it runs, so a kept source keeps its slot across reloads; only
/// `node` changes.
struct PipelineRunner::SourceSlot final : SourceOutput {
    SourceSlot(PipelineRunner& r, std::unique_ptr<Source> s, Graph::NodeId n)
        : runner(r), source(std::move(s)), node(n), finished(r.scheduler_) {}

    void push(EventBatch& batch) override {
        if (retired) {
            // A source told to stop may still deliver what it had read; it has no graph now.
            source->status().events_dropped += batch.size();
            return;
        }
        runner.push(node, batch);
    }
    bool accepting() const override { return retired || runner.graph_->can_accept(node); }
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

PipelineRunner::PipelineRunner(Scheduler& scheduler, std::function<void()> on_sources_ended)
    : scheduler_(scheduler), on_sources_ended_(std::move(on_sources_ended)),
      graph_(std::make_unique<Graph>()), source_tasks_(scheduler, log_failure),
      sink_tasks_(scheduler, log_failure), timers_(scheduler, log_failure), capacity_(scheduler) {
    deadline_timer_ = new uv_timer_t;
    uv_timer_init(scheduler_.loop(), deadline_timer_);
    deadline_timer_->data = this;
}

PipelineRunner::~PipelineRunner() {
    uv_close(reinterpret_cast<uv_handle_t*>(deadline_timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void PipelineRunner::start(const PipelineConfig& config, BuiltPipeline built) {
    graph_ = std::move(built.graph);
    for (auto& entry : built.sinks) {
        auto slot = std::make_shared<SinkSlot>(scheduler_, std::move(entry.sink), entry.node);
        sinks_.push_back(slot);
        spawn_sink(slot);
    }
    for (auto& entry : built.sources) {
        auto slot = std::make_shared<SourceSlot>(*this, std::move(entry.source), entry.node);
        sources_.push_back(slot);
        spawn_source(slot);
    }
    describe(config);
}

void PipelineRunner::describe(const PipelineConfig& config) {
    nodes_.assign(graph_->size(), {});
    for (const auto& component : config.components) {
        if (auto node = graph_->find(component.name)) {
            nodes_[*node] = {std::string(kind_name(component.kind)), component.type};
        }
    }
}

void PipelineRunner::push(Graph::NodeId node, EventBatch& batch) {
    graph_->push(node, batch, wall_clock_now());
    arm_deadline();
}

void PipelineRunner::arm_deadline() {
    // One libuv timer serves the nearest deadline of every time-driven stage.
    auto next = graph_->next_deadline();
    if (next == armed_deadline_ || stopping_) {
        return;
    }
    armed_deadline_ = next;
    if (next == kNever) {
        uv_timer_stop(deadline_timer_);
        return;
    }
    auto wait_ns = std::max<Nanos>(0, next - wall_clock_now());
    // Round up so the stage is never woken before its deadline.
    auto wait_ms = static_cast<std::uint64_t>((wait_ns + 999'999) / 1'000'000);
    uv_timer_start(deadline_timer_, &PipelineRunner::on_deadline, wait_ms, 0);
}

void PipelineRunner::on_deadline(uv_timer_t* timer) {
    auto* runner = static_cast<PipelineRunner*>(timer->data);
    runner->armed_deadline_ = kNever;
    runner->graph_->run_timers(wall_clock_now());
    runner->arm_deadline();
}

void PipelineRunner::spawn_source(std::shared_ptr<SourceSlot> slot) {
    ++sources_running_;
    auto name = slot->source->status().name;
    source_tasks_.spawn(run_source(std::move(slot)), name);
}

void PipelineRunner::spawn_sink(std::shared_ptr<SinkSlot> slot) {
    slot->sink->set_capacity_notify(&capacity_);
    auto name = slot->sink->status().name;
    sink_tasks_.spawn(run_sink(std::move(slot)), name);
}

Task<void> PipelineRunner::run_source(std::shared_ptr<SourceSlot> slot) {
    if (auto before = std::move(slot->predecessor)) {
        co_await wait_finished(before);
    }
    if (!slot->retired && !stopping_) {
        auto& status = slot->source->status();
        try {
            co_await slot->source->run(scheduler_, *slot);
        } catch (const Cancelled&) {
        } catch (const std::exception& e) {
            status.record_error(e.what());
            status.state = ComponentState::error;
            log_error(status.name, e.what());
        }
    }
    slot->done = true;
    slot->finished.notify();
    if (!slot->retired) {
        source_finished();
    }
}

void PipelineRunner::source_finished() {
    if (--sources_running_ == 0 && !stopping_ && on_sources_ended_) {
        on_sources_ended_();
    }
}

Task<void> PipelineRunner::run_sink(std::shared_ptr<SinkSlot> slot) {
    if (auto before = std::move(slot->predecessor)) {
        co_await wait_finished(before);
    }
    auto& status = slot->sink->status();
    try {
        co_await slot->sink->run();
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
        status.record_error(e.what());
        status.state = ComponentState::error;
        log_error(status.name, e.what());
    }
    slot->done = true;
    if (slot->drain_timer) {
        slot->drain_timer->close();
    }
    slot->finished.notify();
}

Task<void> PipelineRunner::abort_after(std::shared_ptr<SinkSlot> slot, Nanos timeout) {
    try {
        co_await slot->drain_timer->sleep(to_ms(timeout));
    } catch (const Cancelled&) {
        co_return; // drained in time
    }
    if (!slot->done) {
        log_warn(slot->sink->status().name,
                 "replaced sink did not drain within shutdown_timeout: dropping " +
                     std::to_string(slot->sink->status().queue_depth) + " queued events");
        slot->sink->abort();
    }
}

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
    if (sources_running_ == 0 && !stopping_ && on_sources_ended_) {
        on_sources_ended_();
    }
}

void PipelineRunner::reattach_taps() {
    std::vector<TapObserver*> attached;
    for (auto* tap : taps_) {
        auto node = graph_->find(tap->component());
        if (node && graph_->kind(*node) != Graph::NodeKind::sink) {
            graph_->add_observer(*node, tap);
            attached.push_back(tap);
        } else {
            tap->component_gone();
        }
    }
    taps_ = std::move(attached);
}

bool PipelineRunner::add_tap(TapObserver* tap, std::string& error) {
    auto node = graph_->find(tap->component());
    if (!node) {
        error = "no component named '" + tap->component() + "'";
        return false;
    }
    if (graph_->kind(*node) == Graph::NodeKind::sink) {
        error = "'" + tap->component() +
                "' is a sink and passes nothing on; tap the component that feeds it";
        return false;
    }
    graph_->add_observer(*node, tap);
    taps_.push_back(tap);
    return true;
}

void PipelineRunner::remove_tap(TapObserver* tap) {
    auto it = std::find(taps_.begin(), taps_.end(), tap);
    if (it == taps_.end()) {
        return;
    }
    taps_.erase(it);
    if (auto node = graph_->find(tap->component())) {
        graph_->remove_observer(*node, tap);
    }
}

Task<void> PipelineRunner::stop_sources() {
    stopping_ = true;
    for (auto& slot : sources_) {
        slot->source->stop();
    }
    // Sources blocked on backpressure wake up and see that they are stopping.
    capacity_.notify();
    co_await source_tasks_.join();
    uv_timer_stop(deadline_timer_);
}

Task<void> PipelineRunner::abort_all_after(Timer* timer, const bool* drained, Nanos timeout) {
    co_await timer->sleep(to_ms(timeout));
    if (*drained) {
        co_return;
    }
    log_warn("", "shutdown_timeout reached: abandoning events still queued in sinks");
    for (const auto* list : {&sinks_, &draining_}) {
        for (const auto& slot : *list) {
            if (!slot->done) {
                slot->sink->abort();
            }
        }
    }
}

Task<void> PipelineRunner::drain_sinks(Nanos timeout) {
    stopping_ = true;
    for (auto& slot : sinks_) {
        slot->sink->stop();
    }
    // Sinks drain what is queued; `timeout` bounds how long that may take.
    Timer deadline(scheduler_);
    bool drained = false;
    timers_.spawn(abort_all_after(&deadline, &drained, timeout), "shutdown timer");
    co_await sink_tasks_.join();
    drained = true;
    deadline.close();
    co_await timers_.join();
}

ComponentRow PipelineRunner::stage_row(Graph::NodeId node) const {
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
    }
    row.events_in = counters.events_in;
    row.events_out = counters.events_out;
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
            rows.push_back(stage_row(id));
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
