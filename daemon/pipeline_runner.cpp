#include "daemon/pipeline_runner.hpp"

#include "config/suggest.hpp"
#include "daemon/pipeline_slots.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"

#include <algorithm>

namespace sluice {

namespace {

/// Runs a component to its end. A failure it could not recover from leaves it in state error,
/// with the reason in its status and the log; a cancellation is a normal end.
Task<void> run_component(Task<void> task, ComponentStatus& status) {
    try {
        co_await std::move(task);
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
        status.record_error(e.what());
        status.state = ComponentState::error;
        log_error(status.name, e.what());
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

} // namespace

PipelineRunner::PipelineRunner(Scheduler& scheduler,
                               std::function<void(const char* why)> on_finished)
    : scheduler_(scheduler), on_finished_(std::move(on_finished)),
      graph_(std::make_unique<Graph>()), source_tasks_(scheduler, log_failures(LogLevel::error)),
      sink_tasks_(scheduler, log_failures(LogLevel::error)),
      timers_(scheduler, log_failures(LogLevel::error)), capacity_(scheduler) {
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
            const auto* stage = graph_->stage(*node);
            nodes_[*node] = {std::string(kind_name(component.kind)), component.type,
                             stage ? stage->counters().errors : 0};
        }
    }
    // A stage the new configuration no longer has reports what its log kept quiet.
    std::erase_if(stage_logs_, [&](const auto& entry) {
        auto node = graph_->find(entry.first);
        return !node || graph_->stage(*node) == nullptr;
    });
}

void PipelineRunner::log_stage_errors() {
    for (Graph::NodeId id = 0; id < graph_->size(); ++id) {
        const auto* stage = graph_->stage(id);
        if (stage == nullptr || stage->counters().errors == nodes_[id].errors_logged) {
            continue;
        }
        const auto& counters = stage->counters();
        auto count = counters.errors - nodes_[id].errors_logged;
        nodes_[id].errors_logged = counters.errors;
        const auto& name = graph_->name(id);
        stage_logs_[name].write(LogLevel::warn, name,
                                "dropped " + std::to_string(count) +
                                    (count == 1 ? " event: " : " events: ") + counters.last_error);
    }
}

void PipelineRunner::push(Graph::NodeId node, EventBatch& batch) {
    graph_->push(node, batch, wall_clock_now());
    log_stage_errors();
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
    runner->log_stage_errors();
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
        co_await run_component(slot->source->run(scheduler_, *slot), slot->source->status());
    }
    slot->done = true;
    slot->finished.notify();
    if (!slot->retired) {
        source_finished();
    }
}

void PipelineRunner::source_finished() {
    if (--sources_running_ == 0 && !stopping_ && on_finished_) {
        on_finished_("every source has ended");
    }
}

void PipelineRunner::check_sinks_gone() {
    // Like a Unix filter whose reader has gone (`sluice run < in | head -1`): with nowhere
    // left to write, reading on is pointless.
    auto gone = [](const std::shared_ptr<SinkSlot>& slot) { return slot->sink->gone(); };
    if (!sinks_.empty() && std::all_of(sinks_.begin(), sinks_.end(), gone) && !stopping_ &&
        on_finished_) {
        on_finished_("the output of every sink has gone");
    }
}

Task<void> PipelineRunner::run_sink(std::shared_ptr<SinkSlot> slot) {
    if (auto before = std::move(slot->predecessor)) {
        co_await wait_finished(before);
    }
    co_await run_component(slot->sink->run(), slot->sink->status());
    slot->done = true;
    if (slot->drain_timer) {
        slot->drain_timer->close();
    }
    slot->finished.notify();
    if (slot->sink->gone()) {
        check_sinks_gone();
    }
}

Task<void> PipelineRunner::abort_after(std::shared_ptr<SinkSlot> slot, Nanos timeout) {
    try {
        co_await slot->drain_timer->sleep(to_ms(timeout));
    } catch (const Cancelled&) {
        co_return; // drained in time
    }
    if (!slot->done) {
        slot->sink->abort("replaced sink did not drain within shutdown_timeout");
    }
}

std::optional<PipelineRunner::TapPoint> PipelineRunner::tap_point(const std::string& name,
                                                                  std::string& error) const {
    if (auto node = graph_->find(name)) {
        if (graph_->kind(*node) == Graph::NodeKind::sink) {
            error =
                "'" + name + "' is a sink and passes nothing on; tap the component that feeds it";
            return std::nullopt;
        }
        return TapPoint{*node, Graph::kAllOutputs};
    }
    // `stage.output`, as inputs name a route's outputs. Component names have no dots.
    auto dot = name.rfind('.');
    auto node = dot == std::string::npos ? std::nullopt : graph_->find(name.substr(0, dot));
    const auto* stage = node ? graph_->stage(*node) : nullptr;
    if (stage == nullptr || stage->output_names().empty()) {
        error = "no component named '" + name + "'";
        return std::nullopt;
    }
    auto outputs = stage->output_names();
    auto output = name.substr(dot + 1);
    auto found = std::find(outputs.begin(), outputs.end(), output);
    if (found == outputs.end()) {
        error = quote(name.substr(0, dot)) + " has no output " + quote(output) +
                ", expected one of: " + join_list(views_of(outputs));
        return std::nullopt;
    }
    return TapPoint{*node, static_cast<std::uint32_t>(found - outputs.begin())};
}

bool PipelineRunner::add_tap(TapObserver* tap, std::string& error) {
    auto point = tap_point(tap->component(), error);
    if (!point) {
        return false;
    }
    graph_->add_observer(point->node, tap, point->output);
    taps_.push_back(tap);
    return true;
}

void PipelineRunner::remove_tap(TapObserver* tap) {
    auto it = std::find(taps_.begin(), taps_.end(), tap);
    if (it == taps_.end()) {
        return;
    }
    taps_.erase(it);
    std::string unused;
    if (auto point = tap_point(tap->component(), unused)) {
        graph_->remove_observer(point->node, tap);
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
    graph_->flush(wall_clock_now());
    log_stage_errors();
}

template <typename Fn>
void PipelineRunner::for_each_unfinished_sink(Fn fn) {
    for (const auto* list : {&sinks_, &draining_}) {
        for (const auto& slot : *list) {
            if (!slot->done) {
                fn(*slot->sink);
            }
        }
    }
}

Task<void> PipelineRunner::abort_all_after(Timer* timer, const bool* drained, Nanos timeout) {
    co_await timer->sleep(to_ms(timeout));
    if (*drained) {
        co_return;
    }
    log_warn("", "shutdown_timeout reached: abandoning events still queued in sinks");
    for_each_unfinished_sink([](Sink& sink) { sink.abort("shutdown_timeout reached"); });
}

void PipelineRunner::narrow_drain(DrainScope scope) {
    drain_scope_ = std::max(drain_scope_, scope);
    if (draining_sinks_) {
        apply_drain_scope();
    }
}

void PipelineRunner::apply_drain_scope() {
    if (drain_scope_ == DrainScope::queued_events) {
        return;
    }
    for_each_unfinished_sink([this](Sink& sink) {
        bool actuator = sink.status().kind == ComponentKind::actuator;
        if (actuator && drain_scope_ == DrainScope::safe_states) {
            sink.drop_queue("stop signal repeated during shutdown");
        } else {
            sink.abort("stop signal repeated during shutdown");
        }
    });
}

Task<void> PipelineRunner::drain_sinks(Nanos timeout) {
    stopping_ = true;
    draining_sinks_ = true;
    for (auto& slot : sinks_) {
        slot->sink->stop();
    }
    apply_drain_scope();
    // Sinks drain what is queued; `timeout` bounds how long that may take.
    Timer deadline(scheduler_);
    bool drained = false;
    timers_.spawn(abort_all_after(&deadline, &drained, timeout), "shutdown timer");
    co_await sink_tasks_.join();
    drained = true;
    deadline.close();
    co_await timers_.join();
}

} // namespace sluice
