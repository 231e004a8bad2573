#pragma once
// Stream sockets: listening for and connecting TCP and Unix-domain stream connections.

#include "drivers/runtime/address.hpp"
#include "drivers/runtime/stream.hpp"

#include <string>

namespace sluice {

/// A listening TCP or Unix stream socket. accept() hands out connected Streams; connections
/// wait in the kernel's backlog while nobody accepts, which is how a full server pushes back.
/// close() wakes an accept with Cancelled; the handle is freed in its close callback.
class Listener {
public:
    /// Binds and listens on `address` (SO_REUSEADDR). Throws IoError (address in use...).
    static Listener tcp(Scheduler& scheduler, const SocketAddress& address, int backlog = 128);
    /// Binds and listens on the Unix socket `path`, replacing a stale socket file that nobody
    /// listens on; `mode` (e.g. 0660) is applied to the file. Throws IoError.
    static Listener unix_socket(Scheduler& scheduler, const std::string& path, unsigned mode,
                                int backlog = 128);

    Listener(Listener&& other) noexcept;
    Listener& operator=(Listener&& other) noexcept;
    ~Listener() { close(); }

    /// Suspends until a client connects and returns its stream. Throws Cancelled, IoError.
    auto accept() { return AcceptAwaiter{state_}; }
    void close();
    /// The bound TCP port (useful with port 0).
    std::uint16_t port() const;

private:
    struct State : WaiterLink {
        uv_any_handle handle;
        bool is_tcp = true;
        bool pending = false; // a connection waits in the backlog
        int error = 0;
    };
    struct AcceptAwaiter {
        State* state;
        WaitSlot slot{};
        explicit AcceptAwaiter(State* s) : state(s) {}
        AcceptAwaiter(const AcceptAwaiter&) = delete;
        ~AcceptAwaiter() {
            if (slot.registered) {
                state->detach(slot);
            }
        }
        bool await_ready() const noexcept {
            return state == nullptr || state->pending || state->error < 0;
        }
        void await_suspend(std::coroutine_handle<> handle) { state->attach(slot, handle); }
        Stream await_resume();
    };

    explicit Listener(State* state) : state_(state) {}
    static void on_connection(uv_stream_t* server, int status);

    State* state_;
};

/// Connects a TCP stream (from Stream::tcp) or a pipe (from Stream::pipe). The request is
/// freed in its callback; closing the stream meanwhile makes the connect end with Cancelled.
/// A TCP connect may be given a timeout: a peer whose host drops our SYNs would otherwise hold
/// it for the kernel's two minutes of retries. When it expires the connect ends with an IoError
/// (ETIMEDOUT) at once; the caller then closes the stream, which cancels the kernel's attempt.
class ConnectAwaiter {
public:
    /// TCP: `address`; Unix: `path` (address ignored). `timeout_ms` 0: no timeout.
    ConnectAwaiter(Stream& stream, const SocketAddress* address, std::string path,
                   std::uint64_t timeout_ms = 0);
    ConnectAwaiter(const ConnectAwaiter&) = delete;
    ~ConnectAwaiter();
    bool await_ready() noexcept {
        closed_at_start_ = stream_.closed();
        return closed_at_start_;
    }
    void await_suspend(std::coroutine_handle<> handle);
    /// Throws IoError (refused, unreachable...) or Cancelled.
    void await_resume() const;

private:
    struct Request {
        uv_connect_t req;
        uv_timer_t timer; // the timeout, when armed
        WaitSlot* waiter = nullptr;
        Scheduler* scheduler = nullptr;
        int callbacks_due = 1; // the connect callback, plus the timer's close callback if armed
        void resume(int status);
        void close_timer();
        void release();
    };
    /// Ends the wait with `status` without a request in flight (resumed from the loop).
    void fail_at_once(int status);
    static void on_connect(uv_connect_t* req, int status);
    static void on_timeout(uv_timer_t* timer);

    Stream& stream_;
    const SocketAddress* address_;
    std::string path_;
    std::uint64_t timeout_ms_;
    Request* request_ = nullptr;
    WaitSlot slot_{};
    bool closed_at_start_ = false;
};

/// Sets TCP keepalive (a peer that vanished without closing is found within minutes, not
/// never) and TCP_NODELAY (a small command goes out at once) on a connected TCP stream.
void tune_tcp(Stream& stream);

/// Connects `stream` (Stream::tcp) to `address`. See ConnectAwaiter.
inline ConnectAwaiter connect_tcp(Stream& stream, const SocketAddress& address,
                                  std::uint64_t timeout_ms = 0) {
    return ConnectAwaiter(stream, &address, {}, timeout_ms);
}
/// Connects `stream` (Stream::pipe) to the Unix socket at `path`. See ConnectAwaiter.
inline ConnectAwaiter connect_unix(Stream& stream, std::string path) {
    return ConnectAwaiter(stream, nullptr, std::move(path));
}

} // namespace sluice
