#pragma once
// Poll: wait for readiness of a file descriptor (serial ports, ZeroMQ's ZMQ_FD).

#include "drivers/runtime/wait_slot.hpp"

#include <uv.h>

namespace sluice {

/// Watches one fd with uv_poll. The fd stays owned by the caller and must stay open until
/// close() (libuv requires that). close() wakes a waiter with Cancelled.
class Poll {
public:
    Poll(Scheduler& scheduler, int fd);
    ~Poll() { close(); }
    Poll(const Poll&) = delete;
    Poll& operator=(const Poll&) = delete;

    /// Suspends until the fd is ready for any of `events` (UV_READABLE | UV_WRITABLE |
    /// UV_DISCONNECT) and returns the ready events. Throws Cancelled when closed, IoError on a
    /// poll error (for example a device that went away).
    auto wait(int events) { return Awaiter{state_, events}; }
    void close();

private:
    struct State : WaiterLink {
        uv_poll_t handle;
    };
    struct Awaiter {
        State* state;
        int events;
        WaitSlot slot{};
        Awaiter(State* s, int e) : state(s), events(e) {}
        Awaiter(const Awaiter&) = delete;
        ~Awaiter();
        bool await_ready() const noexcept { return state == nullptr; }
        void await_suspend(std::coroutine_handle<> handle);
        int await_resume() const;
    };
    static void on_poll(uv_poll_t* handle, int status, int events);

    State* state_;
};

} // namespace sluice
