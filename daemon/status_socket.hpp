#pragma once
// The status socket (SPEC §5): newline-delimited JSON requests and replies on a Unix socket.

#include "daemon/status_report.hpp"
#include "daemon/tap.hpp"
#include "drivers/runtime/pipe_server.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/timer.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

/// What the status socket asks of the daemon. Every call runs on the loop and must not block.
class StatusHandler {
public:
    virtual ~StatusHandler() = default;
    /// The `status` reply: one JSON object on one line, without the newline.
    virtual std::string status_json() = 0;
    /// The Prometheus text for `metrics`.
    virtual std::string metrics_text() = 0;
    /// Reloads the configuration and returns the reply object ({"ok":true,...} or
    /// {"ok":false,"error":"FILE:LINE:COL: ..."}).
    virtual std::string reload() = 0;
    /// Attaches a tap to the component it names; false and `error` when it cannot.
    virtual bool add_tap(TapObserver* tap, std::string& error) = 0;
    virtual void remove_tap(TapObserver* tap) = 0;
};

/// Serves the status protocol. Each client writes one JSON object per line and gets one line
/// back (several requests per connection are fine); `tap` streams events until its limit, the
/// client hanging up, or shutdown. A client can never stall the loop or grow memory without
/// bound: requests are limited to kMaxRequest bytes, clients to kMaxClients, a client that
/// sends no complete request or does not read its reply within kTimeoutMs is disconnected,
/// and a tap drops what a slow client cannot take. Only a peer with the daemon's uid or root
/// may `reload`.
class StatusServer {
public:
    static constexpr std::size_t kMaxRequest = 64 * 1024;
    static constexpr std::size_t kMaxClients = 32;
    static constexpr std::uint64_t kTimeoutMs = 10'000;

    StatusServer(Scheduler& scheduler, StatusHandler& handler);
    ~StatusServer();
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;

    /// Creates the socket at `path` (mode 0660) and starts serving. Throws IoError (see
    /// PipeServer::bind).
    void start(const std::string& path);
    /// Stops accepting, ends every session (taps included) and removes the socket file.
    void close();
    /// Completes once every session has ended; call after close().
    Task<void> join();

    std::vector<TapRow> taps() const;
    /// Events dropped by every tap so far, ended ones included.
    std::uint64_t tap_events_dropped() const;

private:
    struct Session;
    enum class ReadResult { line, end, too_large };

    Task<void> accept_loop();
    Task<void> sweep();
    Task<void> serve(std::shared_ptr<Session> session);
    Task<ReadResult> read_request(std::shared_ptr<Session> session);
    Task<void> send(std::shared_ptr<Session> session, std::string reply);
    Task<void> run_tap(std::shared_ptr<Session> session, std::string component,
                       std::uint64_t limit);
    Task<void> watch_hangup(std::shared_ptr<Session> session);
    void end_tap(Session& session);
    /// Handles a request that is answered with one line: everything but `tap`.
    std::string answer(const Session& session, const std::string& command);
    void forget(const std::shared_ptr<Session>& session);

    Scheduler& scheduler_;
    StatusHandler& handler_;
    std::unique_ptr<PipeServer> server_;
    std::vector<std::shared_ptr<Session>> sessions_;
    std::uint64_t ended_taps_dropped_ = 0;
    Timer sweep_timer_;
    Notify sessions_changed_;
    Scope tasks_;
    bool closed_ = false;
};

} // namespace sluice
