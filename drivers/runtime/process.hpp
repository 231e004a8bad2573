#pragma once
// ChildProcess: run a program (never a shell) and wait for its exit on the loop.

#include "drivers/runtime/wait_slot.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include <uv.h>

namespace sluice {

/// A child started with uv_spawn in a new session (its own process group), with standard input
/// on /dev/null and standard output and error on the daemon's standard error. Only fds 0-2 are
/// inherited: everything else the daemon opens is close-on-exec. libuv reaps the child, so no
/// zombie is left; a timeout kills the whole process group with SIGKILL.
class ChildProcess {
public:
    struct Exit {
        std::int64_t status = 0; // exit code, when signal is 0
        int signal = 0;          // the signal that ended it, or 0
        bool timed_out = false;  // the timeout killed it
    };

    /// Starts `argv` (argv[0] is looked up in PATH of `env`) with exactly the environment
    /// `env` ("NAME=value" entries). `timeout_ms` 0 means none. Throws IoError if it cannot
    /// start (no such program...).
    static ChildProcess spawn(Scheduler& scheduler, const std::vector<std::string>& argv,
                              const std::vector<std::string>& env, std::uint64_t timeout_ms);

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    /// A child still running keeps running (and is reaped when it ends); kill it first if it
    /// must not outlive its owner.
    ~ChildProcess();

    /// Suspends until the child has exited. Never throws.
    auto wait() { return ExitAwaiter{state_}; }
    /// Sends `signum` to the child's whole process group (no-op once it has exited).
    void kill_group(int signum);
    int pid() const { return pid_; }

private:
    struct State : WaiterLink {
        uv_process_t process;
        uv_timer_t timer;
        Exit exit;
        bool exited = false;
        bool owner_gone = false;
        int open_handles = 0;
    };
    struct ExitAwaiter {
        State* state;
        WaitSlot slot{};
        explicit ExitAwaiter(State* s) : state(s) {}
        ExitAwaiter(const ExitAwaiter&) = delete;
        ~ExitAwaiter() {
            if (slot.registered) {
                state->detach(slot);
            }
        }
        bool await_ready() const noexcept { return state == nullptr || state->exited; }
        void await_suspend(std::coroutine_handle<> handle) { state->attach(slot, handle); }
        Exit await_resume() const { return state ? state->exit : Exit{}; }
    };

    ChildProcess(State* state, int pid) : state_(state), pid_(pid) {}
    static void on_exit(uv_process_t* process, std::int64_t status, int signal);
    static void on_timeout(uv_timer_t* timer);
    static void close_state(State* state);

    State* state_;
    int pid_;
};

} // namespace sluice
