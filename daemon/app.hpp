#pragma once
// The running daemon: owns the loop and the pipeline, and orders start-up and shutdown.

#include "daemon/pipeline_builder.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/signal.hpp"
#include "drivers/runtime/timer.hpp"

#include <memory>
#include <optional>

namespace sluice {

/// Runs one pipeline until SIGINT/SIGTERM or until every source has ended. Start-up: sinks
/// first, then sources. Shutdown: stop sources, drain sinks (up to shutdown_timeout), close
/// every handle, and close the loop.
class App {
public:
    App(PipelineConfig config, Scheduler& scheduler, BuiltPipeline pipeline);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    /// Runs until stopped. Returns the process exit code.
    int run();

private:
    class SourceLink;

    Task<void> main();
    Task<void> watch_signal(Signal* signal);
    Task<void> run_source(std::size_t index);
    Task<void> shutdown();
    Task<void> enforce_shutdown_timeout(Timer* timer, const bool* drained);
    void request_stop(const char* why);
    void arm_deadline();
    static void on_deadline(uv_timer_t* timer);

    PipelineConfig config_;
    Scheduler& scheduler_;
    BuiltPipeline pipeline_;
    std::vector<std::unique_ptr<SourceLink>> links_;
    Scope sources_;
    Scope sinks_;
    Scope watchers_;
    Notify capacity_;
    Notify stop_;
    bool stopping_ = false;
    uv_timer_t* deadline_timer_ = nullptr;
    Nanos armed_deadline_ = kNever;
    std::size_t sources_running_ = 0;
};

} // namespace sluice
