#pragma once
// Signal: wait for a POSIX signal on the loop.

#include "drivers/runtime/wait_slot.hpp"

#include <uv.h>

namespace sluice {

/// Watches one signal number. Signals that arrive while nobody waits are counted, so none is
/// missed. close() wakes a waiter with Cancelled.
class Signal {
public:
    Signal(Scheduler& scheduler, int signum);
    ~Signal() { close(); }
    Signal(const Signal&) = delete;
    Signal& operator=(const Signal&) = delete;

    /// Suspends until the signal arrives (or returns at once for one that already did).
    auto wait() { return Awaiter{state_}; }
    void close();

private:
    struct State : WaiterLink {
        uv_signal_t handle;
        int pending = 0;
    };
    struct Awaiter {
        State* state;
        WaitSlot slot{};
        explicit Awaiter(State* s) : state(s) {}
        Awaiter(const Awaiter&) = delete;
        ~Awaiter() {
            if (slot.registered) {
                state->detach(slot);
            }
        }
        bool await_ready() noexcept;
        void await_suspend(std::coroutine_handle<> handle) { state->attach(slot, handle); }
        void await_resume() const;
    };
    static void on_signal(uv_signal_t* handle, int signum);

    State* state_;
};

} // namespace sluice
