#include "daemon/app.hpp"

#include "config/load.hpp"
#include "daemon/json.hpp"
#include "daemon/metrics.hpp"
#include "daemon/registry.hpp"
#include "daemon/socket_path.hpp"
#include "daemon/version.hpp"
#include "drivers/io/fd_stream.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"

#include <csignal>
#include <ctime>
#include <unistd.h>

namespace sluice {

namespace {

std::string reload_reply(const ReloadResult& result) {
    std::string out;
    JsonWriter json(out);
    json.begin_object().key("ok").boolean(result.ok);
    if (result.ok) {
        json.key("summary").string(result.summary);
        if (!result.warnings.empty()) {
            json.key("warnings").string(result.warnings);
        }
    } else {
        json.key("error").string(result.error);
    }
    json.end_object();
    return out;
}

void set_reload_signal_blocked(bool blocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    ::sigprocmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

} // namespace

void hold_reload_signal() {
    set_reload_signal_blocked(true);
}

App::App(PipelineConfig config, Scheduler& scheduler, BuiltPipeline pipeline)
    : config_(std::move(config)), scheduler_(scheduler), initial_(std::move(pipeline)),
      runner_(scheduler, [this](const char* why) { request_stop(why); }), status_(scheduler, *this),
      watchers_(scheduler, log_failures(LogLevel::error)), stop_(scheduler),
      watchdog_timer_(scheduler), started_ns_(uv_hrtime()) {
    runner_.set_drain_timeout(config_.daemon.shutdown_timeout);
}

App::~App() = default;

int App::run() {
    // A status client or TCP peer that hangs up must cost an EPIPE, not the process.
    std::signal(SIGPIPE, SIG_IGN);
    Scope root(scheduler_, log_failures(LogLevel::error));
    root.spawn(main(), "sluice");
    scheduler_.run();
    return 0;
}

void App::start_status_socket() {
    auto path = resolve_socket_path(config_.daemon.status_socket);
    try {
        status_.start(path);
        log_info("", "status socket at " + path);
    } catch (const std::exception& e) {
        // The pipeline matters more than its observability: run on without the socket.
        log_error("", std::string("status socket disabled: ") + e.what());
    }
}

Task<void> App::main() {
    Signal sigterm(scheduler_, SIGTERM);
    Signal sigint(scheduler_, SIGINT);
    Signal sighup(scheduler_, SIGHUP);
    watchers_.spawn(watch_stop_signal(&sigterm, "SIGTERM"), "SIGTERM");
    watchers_.spawn(watch_stop_signal(&sigint, "SIGINT"), "SIGINT");
    watchers_.spawn(watch_reload_signal(&sighup), "SIGHUP");

    start_status_socket();
    runner_.start(config_, std::move(*initial_));
    initial_.reset();
    // One turn of the scheduler lets every source run up to its first wait, so listeners are
    // bound and devices opened (or their first attempt made) before systemd hears READY=1.
    co_await yield_to_loop(scheduler_);
    log_info("", "started " + std::to_string(config_.components.size()) + " components from " +
                     config_.path);
    notifier_.ready(summary_line());
    // Only now that the pipeline runs: a SIGHUP held pending since start-up is delivered to the
    // watcher above and reloads.
    set_reload_signal_blocked(false);
    if (notifier_.watchdog_interval_ms() > 0) {
        watchers_.spawn(watchdog_loop(), "watchdog");
    }
    if (runner_.sources_running() == 0) {
        request_stop("no sources");
    }
    while (!stopping_) {
        co_await stop_.wait();
    }
    // The signals stay watched until the drain has ended: a repeated SIGTERM or SIGINT must
    // narrow the drain, not kill the process before the actuators' safe states are written.
    co_await shutdown();
    sigterm.close();
    sigint.close();
    sighup.close();
    watchdog_timer_.close();
    co_await watchers_.join();
}

Task<void> App::watch_stop_signal(Signal* signal, const char* name) {
    while (true) {
        co_await signal->wait();
        on_stop_signal(name);
    }
}

void App::on_stop_signal(const char* name) {
    if (!stopping_) {
        request_stop(("signal received (" + std::string(name) + ")").c_str());
        return;
    }
    // Already stopping (a first signal, or every source ended): the operator wants it over.
    ++signals_while_stopping_;
    if (signals_while_stopping_ == 1) {
        log_warn("", std::string(name) +
                         " during shutdown: no longer waiting for queued events (dropped and "
                         "counted); actuators still write their safe_state; another signal "
                         "aborts them too");
        runner_.narrow_drain(DrainScope::safe_states);
    } else {
        log_warn("", std::string(name) +
                         " during shutdown again: aborting every sink; actuators get one "
                         "safe_state write that does not wait");
        runner_.narrow_drain(DrainScope::nothing);
    }
}

Task<void> App::watch_reload_signal(Signal* signal) {
    while (true) {
        co_await signal->wait();
        reload_config();
    }
}

Task<void> App::watchdog_loop() {
    // On the loop itself: a loop that stalls stops the pings, and systemd restarts us.
    try {
        while (true) {
            notifier_.watchdog();
            co_await watchdog_timer_.sleep(notifier_.watchdog_interval_ms());
        }
    } catch (const Cancelled&) {
    }
}

void App::request_stop(const char* why) {
    if (!stopping_) {
        log_info("", std::string("stopping: ") + why);
        stopping_ = true;
        stop_.notify();
    }
}

Task<void> App::shutdown() {
    notifier_.stopping("stopping: draining sinks");
    co_await runner_.stop_sources();
    co_await runner_.drain_sinks(config_.daemon.shutdown_timeout);
    // Only now: `sluice status` shows the drain (state stopping) while it lasts.
    status_.close();
    co_await status_.join();
}

ReloadResult App::reload_config() {
    ReloadResult result;
    result.time = static_cast<std::int64_t>(std::time(nullptr));
    if (stopping_) {
        result.error = "reload refused: the daemon is stopping";
        log_warn("", result.error);
        return result;
    }
    notifier_.reloading();
    Diagnostics diagnostics(config_.path);
    auto next = load_config_file(config_.path, builtin_registry(), diagnostics);
    std::optional<BuiltPipeline> fresh;
    if (next) {
        fresh = build_pipeline(*next, scheduler_, diagnostics);
    }
    if (!next || !fresh || diagnostics.has_errors()) {
        result.error = diagnostics.format_message();
        ++reloads_failed_;
        log_error("", "reload failed; the running pipeline stays as it was:");
        for (const auto& diagnostic : diagnostics.all()) {
            log_error("", diagnostics.format(diagnostic));
        }
    } else {
        auto plan = plan_reload(config_.components, next->components);
        runner_.swap(plan, *next, std::move(*fresh));
        apply_daemon_settings(next->daemon);
        config_ = std::move(*next);
        result.ok = true;
        result.summary = plan.summary();
        ++reloads_ok_;
        log_info("", "reloaded " + config_.path + ": " + result.summary);
        // What `sluice check` would warn about, the reload says too: it is the operator's one
        // look at the file they just changed.
        for (const auto& diagnostic : diagnostics.all()) {
            log_warn("", diagnostics.format(diagnostic));
        }
        result.warnings = diagnostics.format_message();
    }
    last_reload_ = result;
    notifier_.ready(summary_line());
    return result;
}

void App::apply_daemon_settings(const DaemonConfig& next) {
    if (LogLevel level{}; parse_log_level(next.log_level, level)) {
        Log::set_level(level);
    }
    runner_.set_drain_timeout(next.shutdown_timeout);
    if (next.status_socket != config_.daemon.status_socket) {
        log_warn("", "daemon.status_socket changed; the new path takes effect at the next "
                     "restart");
    }
}

StatusReport App::report() const {
    StatusReport report;
    report.version = kVersion;
    report.pid = static_cast<std::int64_t>(::getpid());
    report.state = stopping_ ? "stopping" : "running";
    report.uptime_s = static_cast<double>(uv_hrtime() - started_ns_) / 1e9;
    report.config_path = config_.path;
    report.config_sha256 = config_.sha256;
    report.last_reload = last_reload_;
    report.reloads_ok = reloads_ok_;
    report.reloads_failed = reloads_failed_;
    report.components = runner_.rows(wall_clock_now());
    report.taps = status_.taps();
    report.tap_events_dropped = status_.tap_events_dropped();
    return report;
}

std::string App::summary_line() const {
    std::size_t counts[4] = {};
    for (const auto& component : config_.components) {
        ++counts[static_cast<int>(component.kind)];
    }
    std::string line = "running " + std::to_string(counts[0]) + " sources, " +
                       std::to_string(counts[1]) + " stages, " +
                       std::to_string(counts[2] + counts[3]) + " sinks";
    if (last_reload_) {
        line += last_reload_->ok
                    ? "; last reload ok"
                    : "; last reload failed: " +
                          last_reload_->error.substr(0, last_reload_->error.find('\n'));
    }
    return line;
}

std::string App::status_json() {
    return render_status_json(report());
}

std::string App::metrics_text() {
    return render_metrics(report());
}

std::string App::reload() {
    return reload_reply(reload_config());
}

bool App::add_tap(TapObserver* tap, std::string& error) {
    if (stopping_) {
        error = "the daemon is stopping";
        return false;
    }
    return runner_.add_tap(tap, error);
}

void App::remove_tap(TapObserver* tap) {
    runner_.remove_tap(tap);
}

} // namespace sluice
