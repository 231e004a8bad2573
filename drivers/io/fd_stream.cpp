#include "drivers/io/fd_stream.hpp"

#include "drivers/runtime/errors.hpp"

#include <cerrno>
#include <unistd.h>

namespace sluice {

FdStream::FdStream(Scheduler& scheduler, int fd, bool owns_fd)
    : scheduler_(scheduler), fd_(fd), owns_fd_(owns_fd) {
    switch (uv_guess_handle(fd)) {
    case UV_TTY:
        stream_.emplace(Stream::open_fd(scheduler, fd, Stream::Type::tty));
        break;
    case UV_NAMED_PIPE:
    case UV_TCP:
        stream_.emplace(Stream::open_fd(scheduler, fd, Stream::Type::pipe));
        break;
    default:
        break; // regular file, /dev/null and the like: plain syscalls
    }
}

FdStream::~FdStream() {
    close();
}

void FdStream::close() {
    if (closed_) {
        return;
    }
    closed_ = true;
    if (stream_) {
        // libuv closes the fd with the handle only when it owns it; keep inherited fds open.
        if (!owns_fd_) {
            int copy = dup(fd_);
            stream_->close();
            if (copy >= 0) {
                dup2(copy, fd_);
                ::close(copy);
            }
            return;
        }
        stream_->close();
        return;
    }
    if (owns_fd_) {
        ::close(fd_);
    }
}

Task<std::size_t> FdStream::read(std::span<char> buffer) {
    if (closed_) {
        throw Cancelled{};
    }
    if (stream_) {
        co_return co_await stream_->read(buffer);
    }
    while (true) {
        auto n = ::read(fd_, buffer.data(), buffer.size());
        if (n >= 0) {
            co_return static_cast<std::size_t>(n);
        }
        if (errno != EINTR) {
            throw IoError("read", -errno);
        }
    }
}

Task<void> FdStream::write(std::string_view bytes) {
    if (closed_) {
        throw Cancelled{};
    }
    if (stream_) {
        co_await stream_->write(bytes);
        co_return;
    }
    while (!bytes.empty()) {
        auto n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw IoError("write", -errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

namespace {
struct YieldAwaiter {
    Scheduler& scheduler;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) { scheduler.schedule(handle); }
    void await_resume() const noexcept {}
};
} // namespace

Task<void> yield_to_loop(Scheduler& scheduler) {
    co_await YieldAwaiter{scheduler};
}

} // namespace sluice
