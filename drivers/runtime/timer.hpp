#pragma once
// Timer: sleep on the loop's monotonic clock.

#include "drivers/runtime/wait_slot.hpp"

#include <cstdint>

#include <uv.h>

namespace sluice {

/// A libuv timer one coroutine at a time can sleep on. close() (or the destructor) wakes a
/// sleeper with Cancelled; the handle is freed in its close callback.
class Timer {
public:
    explicit Timer(Scheduler& scheduler);
    ~Timer() { close(); }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    /// Suspends for `ms` milliseconds of loop time. Throws Cancelled if the timer is closed
    /// before or during the sleep.
    auto sleep(std::uint64_t ms) { return Awaiter{state_, ms}; }
    void close();
    bool closed() const { return state_ == nullptr; }

private:
    struct State : WaiterLink {
        uv_timer_t handle;
    };
    struct Awaiter {
        State* state;
        std::uint64_t ms;
        WaitSlot slot{};
        Awaiter(State* s, std::uint64_t m) : state(s), ms(m) {}
        Awaiter(const Awaiter&) = delete;
        ~Awaiter();
        bool await_ready() const noexcept { return state == nullptr; }
        void await_suspend(std::coroutine_handle<> handle);
        void await_resume() const;
    };
    static void on_timer(uv_timer_t* handle);

    State* state_;
};

} // namespace sluice
