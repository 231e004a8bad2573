#pragma once
// The running daemon: owns the pipeline, the status socket and the service-manager protocol,
// and orders start-up, reload and shutdown.

#include "daemon/pipeline_runner.hpp"
#include "daemon/sd_notify.hpp"
#include "daemon/status_socket.hpp"
#include "drivers/runtime/signal.hpp"
#include "drivers/runtime/timer.hpp"

#include <cstdint>
#include <optional>

namespace sluice {

/// Blocks SIGHUP for the process: its default action ends the process, and the configuration
/// loads before App watches it. Call first thing in `sluice run`; App::run() unblocks it once
/// the pipeline runs, so a SIGHUP sent during start-up (or a mask inherited with SIGHUP blocked)
/// becomes a reload then instead of killing the daemon or being lost. Never throws.
void hold_reload_signal();

/// Runs one pipeline until SIGINT/SIGTERM or until every source has ended; SIGHUP and the
/// `reload` command reload the configuration file. Start-up: status socket, sinks, sources,
/// then READY=1. Shutdown: STOPPING=1, stop sources, drain sinks (up to shutdown_timeout), then
/// close the status socket (it answers `status` with state stopping meanwhile, and refuses
/// `reload` and new taps) and every handle. A stop signal during shutdown narrows the drain:
/// the second drops queued events but lets actuators write their safe state, the third
/// aborts every sink.
class App final : public StatusHandler {
public:
    App(PipelineConfig config, Scheduler& scheduler, BuiltPipeline pipeline);
    ~App() override;
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    /// Runs until stopped. Returns the process exit code.
    int run();

    std::string status_json() override;
    std::string metrics_text() override;
    std::string reload() override;
    bool add_tap(TapObserver* tap, std::string& error) override;
    void remove_tap(TapObserver* tap) override;

private:
    Task<void> main();
    Task<void> watch_stop_signal(Signal* signal, const char* name);
    /// The first stop signal starts the shutdown; later ones narrow its drain.
    void on_stop_signal(const char* name);
    Task<void> watch_reload_signal(Signal* signal);
    Task<void> watchdog_loop();
    Task<void> shutdown();
    void start_status_socket();
    void request_stop(const char* why);
    /// Loads, validates and swaps in the configuration file; keeps the running pipeline when
    /// the file is invalid.
    ReloadResult reload_config();
    void apply_daemon_settings(const DaemonConfig& next);
    StatusReport report() const;
    /// One line for systemd's STATUS=.
    std::string summary_line() const;

    PipelineConfig config_;
    Scheduler& scheduler_;
    std::optional<BuiltPipeline> initial_;
    SdNotifier notifier_;
    PipelineRunner runner_;
    StatusServer status_;
    Scope watchers_;
    Notify stop_;
    Timer watchdog_timer_;
    std::uint64_t started_ns_;
    std::optional<ReloadResult> last_reload_;
    std::uint64_t reloads_ok_ = 0;
    std::uint64_t reloads_failed_ = 0;
    bool stopping_ = false;
    int signals_while_stopping_ = 0;
};

} // namespace sluice
