#pragma once
// ZmqSocket: a libzmq socket on the libuv loop, watched through ZMQ_FD with one uv_poll.

#include "drivers/runtime/wait_slot.hpp"
#include "drivers/zmq/zmq_context.hpp"
#include "drivers/zmq/zmq_error.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <uv.h>
#include <zmq.h>

namespace sluice {

/// One received frame; reused across receives so a steady stream allocates nothing of ours.
class ZmqMessage {
public:
    ZmqMessage() { zmq_msg_init(&message_); }
    ~ZmqMessage() { zmq_msg_close(&message_); }
    ZmqMessage(const ZmqMessage&) = delete;
    ZmqMessage& operator=(const ZmqMessage&) = delete;

    /// The frame's bytes, valid until the next receive into this message.
    std::string_view view() {
        return {static_cast<const char*>(zmq_msg_data(&message_)), zmq_msg_size(&message_)};
    }
    /// Whether more frames of the same multipart message follow.
    bool more() { return zmq_msg_more(&message_) != 0; }
    zmq_msg_t* get() { return &message_; }

private:
    zmq_msg_t message_;
};

/// A ZeroMQ socket whose ZMQ_FD is watched by one persistent uv_poll for readability.
///
/// ZMQ_FD is edge-triggered in effect: it signals when commands reach the socket, and libzmq
/// clears it whenever it processes them (inside zmq_send, zmq_recv and ZMQ_EVENTS). So wait()
/// reads ZMQ_EVENTS before it suspends, and the poll callback reads ZMQ_EVENTS on every wake
/// even when nobody waits (which also keeps a level-triggered poll from spinning). A caller
/// that has drained a socket to "would block" can therefore always wait() safely: either the
/// condition already holds, or a later command signals the fd.
///
/// Not thread-safe, like libzmq sockets. close() (or the destructor) wakes a waiter with
/// Cancelled; the socket itself is closed in the poll handle's close callback, after libuv has
/// stopped watching its fd.
class ZmqSocket {
public:
    /// Creates a socket of `type` (ZMQ_SUB, ZMQ_PULL, ZMQ_PUB, ZMQ_PUSH...) on the process's
    /// context and starts watching it. Throws ZmqError, or IoError if libuv refuses the fd.
    ZmqSocket(Scheduler& scheduler, int type);
    ~ZmqSocket() { close(0); }
    ZmqSocket(const ZmqSocket&) = delete;
    ZmqSocket& operator=(const ZmqSocket&) = delete;

    /// Socket options (zmq_setsockopt). Throw ZmqError; `name` says which option in the message.
    void set_int(int option, int value, const char* name);
    void set_int64(int option, std::int64_t value, const char* name);
    void set_bytes(int option, std::string_view value, const char* name);
    /// Throw ZmqError naming the endpoint (address in use, malformed endpoint).
    void bind(const std::string& endpoint);
    void connect(const std::string& endpoint);

    /// ZMQ_EVENTS (ZMQ_POLLIN | ZMQ_POLLOUT); processes pending commands. 0 once closed.
    int events();
    /// Receives one frame without blocking; false when none is waiting. Throws ZmqError.
    bool receive(ZmqMessage& message);
    /// Sends one frame without blocking (ZMQ_SNDMORE when `more`); false when libzmq would
    /// block (the high-water mark, or ZMQ_XPUB_NODROP on a full subscriber). Throws ZmqError.
    bool send(std::string_view frame, bool more);

    /// Suspends until ZMQ_EVENTS has any bit of `mask`, and returns the events. With mask 0,
    /// suspends until ZMQ_FD next signals: for conditions ZMQ_EVENTS does not report (a PUB
    /// socket refusing a send under ZMQ_XPUB_NODROP always reports POLLOUT). One waiter at a
    /// time. Throws Cancelled once closed, IoError if the poll fails.
    auto wait(int mask) { return Awaiter{this, mask}; }

    /// Sets ZMQ_LINGER to `linger_ms` (how long libzmq may still flush queued messages after
    /// this) and closes. Idempotent.
    void close(int linger_ms);
    /// Wakes a waiter with Cancelled and makes later waits throw Cancelled, but keeps the
    /// socket open for sends that do not wait (an actuator's safe state after an abort).
    void cancel_waits();
    bool is_open() const { return state_ != nullptr; }
    /// How often the poll woke up, for tests that an idle socket costs nothing.
    std::uint64_t wakes() const { return state_ ? state_->wakes : 0; }

private:
    struct State : WaiterLink {
        uv_poll_t handle;
        void* socket = nullptr;
        std::shared_ptr<ZmqContext> context;
        int wanted = 0;
        bool cancelled = false;
        int failed = 0; // a poll error, kept for waits that come after it
        std::uint64_t wakes = 0;
    };
    struct Awaiter {
        ZmqSocket* owner;
        int mask;
        WaitSlot slot{};
        Awaiter(ZmqSocket* o, int m) : owner(o), mask(m) {}
        Awaiter(const Awaiter&) = delete;
        ~Awaiter();
        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle);
        int await_resume() const;
        State* state = nullptr;
    };
    static void on_poll(uv_poll_t* handle, int status, int events);
    static int read_events(void* socket);

    State* state_ = nullptr;
};

} // namespace sluice
