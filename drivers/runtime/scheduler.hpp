#pragma once
// The ready queue between libuv callbacks and coroutines, and the loop that drains it.

#include <coroutine>
#include <cstdint>
#include <deque>

#include <uv.h>

namespace sluice {

/// Owns a libuv loop and the queue of coroutines ready to resume. libuv callbacks never resume
/// a coroutine inline: they schedule() it, and the scheduler resumes it from the loop, so no
/// coroutine runs inside another component's callback. One per thread; not thread-safe.
class Scheduler {
public:
    Scheduler();
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    uv_loop_t* loop() { return &loop_; }
    /// The scheduler that owns `loop`.
    static Scheduler& of(uv_loop_t* loop);

    /// Queues `handle` to be resumed on the next drain. The handle must stay alive until then.
    void schedule(std::coroutine_handle<> handle);

    /// Runs the loop until no handle is active and no coroutine is ready.
    void run();
    /// Runs one loop iteration without blocking (tests).
    void run_once_nowait();
    /// Closes the scheduler's own handles and runs the loop until uv_loop_close() succeeds.
    /// Returns false if other handles were still open (a leak: tests assert on it).
    bool close();

    /// Monotonic loop time in milliseconds (libuv's cached "now").
    std::uint64_t now_ms() { return uv_now(&loop_); }

private:
    static void on_prepare(uv_prepare_t* handle);
    static void on_check(uv_check_t* handle);
    static void on_idle(uv_idle_t* handle);
    void drain();

    uv_loop_t loop_{};
    uv_prepare_t prepare_{};
    uv_check_t check_{};
    uv_idle_t idle_{};
    bool idle_active_ = false;
    std::deque<std::coroutine_handle<>> ready_;
};

} // namespace sluice
