#include "daemon/app.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/timer.hpp"

#include <csignal>

namespace sluice {

namespace {

void log_failure(const std::string& name, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Cancelled&) {
        // Shutdown cancelled it: not a failure.
    } catch (const std::exception& e) {
        log_error(name, e.what());
    }
}

} // namespace

/// Connects one source to the graph: pushes run through the graph at once, and backpressure
/// comes from the sinks the source feeds.
class App::SourceLink : public SourceOutput {
public:
    SourceLink(App& app, Graph::NodeId node) : app_(app), node_(node) {}
    void push(EventBatch& batch) override {
        app_.pipeline_.graph->push(node_, batch, wall_clock_now());
        app_.arm_deadline();
    }
    bool accepting() const override { return app_.pipeline_.graph->can_accept(node_); }
    Task<void> capacity_changed() override { co_await app_.capacity_.wait(); }

private:
    App& app_;
    Graph::NodeId node_;
};

App::App(PipelineConfig config, Scheduler& scheduler, BuiltPipeline pipeline)
    : config_(std::move(config)), scheduler_(scheduler), pipeline_(std::move(pipeline)),
      sources_(scheduler, log_failure), sinks_(scheduler, log_failure),
      watchers_(scheduler, log_failure), capacity_(scheduler), stop_(scheduler) {
    for (auto& entry : pipeline_.sources) {
        links_.push_back(std::make_unique<SourceLink>(*this, entry.node));
    }
    for (auto& entry : pipeline_.sinks) {
        entry.sink->set_capacity_notify(&capacity_);
    }
    deadline_timer_ = new uv_timer_t;
    uv_timer_init(scheduler_.loop(), deadline_timer_);
    deadline_timer_->data = this;
}

App::~App() {
    if (deadline_timer_) {
        uv_close(reinterpret_cast<uv_handle_t*>(deadline_timer_),
                 [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    }
}

int App::run() {
    Scope root(scheduler_, log_failure);
    root.spawn(main(), "sluice");
    scheduler_.run();
    return 0;
}

void App::arm_deadline() {
    // One libuv timer serves the nearest deadline of every time-driven stage.
    auto next = pipeline_.graph->next_deadline();
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
    uv_timer_start(deadline_timer_, &App::on_deadline, wait_ms, 0);
}

void App::on_deadline(uv_timer_t* timer) {
    auto* app = static_cast<App*>(timer->data);
    app->armed_deadline_ = kNever;
    app->pipeline_.graph->run_timers(wall_clock_now());
    app->arm_deadline();
}

Task<void> App::run_source(std::size_t index) {
    auto& entry = pipeline_.sources[index];
    try {
        co_await entry.source->run(scheduler_, *links_[index]);
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
        entry.source->status().record_error(e.what());
        entry.source->status().state = ComponentState::error;
        log_error(entry.source->status().name, e.what());
    }
    if (--sources_running_ == 0) {
        request_stop("every source has ended");
    }
}

Task<void> App::watch_signal(Signal* signal) {
    co_await signal->wait();
    request_stop("signal received");
}

void App::request_stop(const char* why) {
    if (!stopping_) {
        log_info("", std::string("stopping: ") + why);
        stopping_ = true;
        stop_.notify();
    }
}

Task<void> App::main() {
    Signal sigterm(scheduler_, SIGTERM);
    Signal sigint(scheduler_, SIGINT);
    watchers_.spawn(watch_signal(&sigterm), "SIGTERM");
    watchers_.spawn(watch_signal(&sigint), "SIGINT");

    for (auto& entry : pipeline_.sinks) {
        sinks_.spawn(entry.sink->run(), entry.sink->status().name);
    }
    sources_running_ = pipeline_.sources.size();
    for (std::size_t i = 0; i < pipeline_.sources.size(); ++i) {
        sources_.spawn(run_source(i), pipeline_.sources[i].source->status().name);
    }
    log_info("", "started " + std::to_string(config_.components.size()) + " components from " +
                     config_.path);
    if (pipeline_.sources.empty()) {
        request_stop("no sources");
    }
    while (!stopping_) {
        co_await stop_.wait();
    }
    sigterm.close();
    sigint.close();
    co_await shutdown();
    co_await watchers_.join();
}

Task<void> App::enforce_shutdown_timeout(Timer* timer, const bool* drained) {
    co_await timer->sleep(static_cast<std::uint64_t>(config_.daemon.shutdown_timeout / 1'000'000));
    if (!*drained) {
        log_warn("", "shutdown_timeout reached: abandoning events still queued in sinks");
        for (auto& entry : pipeline_.sinks) {
            entry.sink->abort();
        }
    }
}

Task<void> App::shutdown() {
    for (auto& entry : pipeline_.sources) {
        entry.source->stop();
    }
    // Sources blocked on backpressure wake up and see that they are stopping.
    capacity_.notify();
    co_await sources_.join();
    uv_timer_stop(deadline_timer_);
    for (auto& entry : pipeline_.sinks) {
        entry.sink->stop();
    }
    // Sinks drain what is queued; shutdown_timeout bounds how long that may take.
    Timer deadline(scheduler_);
    bool drained = false;
    watchers_.spawn(enforce_shutdown_timeout(&deadline, &drained), "shutdown timer");
    co_await sinks_.join();
    drained = true;
    deadline.close();
}

} // namespace sluice
