#include "drivers/runtime/process.hpp"

#include "drivers/runtime/errors.hpp"

#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utility>

namespace sluice {

namespace {

/// uv_spawn cannot close fds in the child, and an fd the daemon inherited without
/// close-on-exec (from whoever started it) would leak into every child. Marking every fd above
/// 2 close-on-exec right before spawning makes "only 0-2 are inherited" hold whatever the rest
/// of the process opened.
void mark_fds_close_on_exec() {
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
        return;
    }
    DIR* dir = opendir("/proc/self/fd");
    if (!dir) {
        return;
    }
    int own = dirfd(dir);
    while (auto* entry = readdir(dir)) {
        int fd = std::atoi(entry->d_name);
        if (fd > 2 && fd != own) {
            fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
        }
    }
    closedir(dir);
}

} // namespace

ChildProcess ChildProcess::spawn(Scheduler& scheduler, const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env, std::uint64_t timeout_ms) {
    std::vector<char*> args;
    for (const auto& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    std::vector<char*> environment;
    for (const auto& entry : env) {
        environment.push_back(const_cast<char*>(entry.c_str()));
    }
    environment.push_back(nullptr);

    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE; // /dev/null
    stdio[1].flags = UV_INHERIT_FD;
    stdio[1].data.fd = 2; // the daemon's stdout may carry a sink's output: keep it clean
    stdio[2].flags = UV_INHERIT_FD;
    stdio[2].data.fd = 2;

    uv_process_options_t options{};
    options.exit_cb = &ChildProcess::on_exit;
    options.file = args[0];
    options.args = args.data();
    options.env = environment.data();
    options.stdio_count = 3;
    options.stdio = stdio;
    // A new session makes the child a process group leader, so a timeout can kill everything
    // it started. The handle stays referenced: the loop lives until the child has been reaped.
    options.flags = UV_PROCESS_DETACHED;

    mark_fds_close_on_exec();
    auto* state = new State{};
    state->scheduler = &scheduler;
    state->process.data = state;
    int status = uv_spawn(scheduler.loop(), &state->process, &options);
    if (status < 0) {
        // A failed spawn still initialised the handle, which must be closed, not deleted.
        uv_close(reinterpret_cast<uv_handle_t*>(&state->process),
                 [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
        throw IoError("spawn " + argv.front(), status);
    }
    state->open_handles = 2;
    uv_timer_init(scheduler.loop(), &state->timer);
    state->timer.data = state;
    if (timeout_ms > 0) {
        uv_timer_start(&state->timer, &ChildProcess::on_timeout, timeout_ms, 0);
    }
    return ChildProcess(state, state->process.pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)), pid_(other.pid_) {}

ChildProcess::~ChildProcess() {
    if (!state_) {
        return;
    }
    state_->waiter = nullptr;
    if (state_->exited) {
        close_state(state_);
    } else {
        // The exit callback closes the handles once the child has been reaped.
        state_->owner_gone = true;
    }
}

void ChildProcess::close_state(State* state) {
    auto on_closed = [](uv_handle_t* h) {
        auto* s = static_cast<State*>(h->data);
        if (--s->open_handles == 0) {
            delete s;
        }
    };
    uv_timer_stop(&state->timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&state->timer), on_closed);
    uv_close(reinterpret_cast<uv_handle_t*>(&state->process), on_closed);
}

void ChildProcess::kill_group(int signum) {
    if (state_ && !state_->exited && pid_ > 0) {
        ::kill(-pid_, signum);
    }
}

void ChildProcess::on_exit(uv_process_t* process, std::int64_t status, int signal) {
    auto* state = static_cast<State*>(process->data);
    state->exited = true;
    state->exit.status = status;
    state->exit.signal = signal;
    uv_timer_stop(&state->timer);
    if (state->owner_gone) {
        close_state(state);
        return;
    }
    state->wake(0);
}

void ChildProcess::on_timeout(uv_timer_t* timer) {
    auto* state = static_cast<State*>(timer->data);
    if (!state->exited) {
        state->exit.timed_out = true;
        ::kill(-state->process.pid, SIGKILL);
    }
}

} // namespace sluice
