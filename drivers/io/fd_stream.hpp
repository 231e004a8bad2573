#pragma once
// Reading and writing a file descriptor whatever it is: a regular file, a pipe, a socket or a
// terminal (stdin, stdout, the file sink).

#include "drivers/runtime/stream.hpp"
#include "drivers/runtime/task.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace sluice {

/// Regular files use plain read()/write(): the kernel never makes them wait for a peer, and
/// libuv cannot poll them. Pipes, sockets and terminals go through a libuv stream so the loop
/// never blocks on them. Does not own the fd unless told to.
class FdStream {
public:
    FdStream(Scheduler& scheduler, int fd, bool owns_fd);
    ~FdStream();
    FdStream(const FdStream&) = delete;
    FdStream& operator=(const FdStream&) = delete;

    /// Returns bytes read, 0 at end of input. Throws Cancelled after close(), IoError on error.
    Task<std::size_t> read(std::span<char> buffer);
    /// Writes all of `bytes` (which must stay valid until done). Throws IoError, Cancelled.
    Task<void> write(std::string_view bytes);
    void close();
    bool is_regular_file() const { return !stream_; }

private:
    Scheduler& scheduler_;
    int fd_;
    bool owns_fd_;
    bool closed_ = false;
    std::optional<Stream> stream_;
};

/// Suspends once so that other ready coroutines and I/O get a turn (long synchronous loops).
Task<void> yield_to_loop(Scheduler& scheduler);

} // namespace sluice
