#pragma once
// PipeServer: a listening Unix stream socket whose file is created safely (the status socket).

#include "drivers/runtime/poll.hpp"
#include "drivers/runtime/stream.hpp"
#include "drivers/runtime/task.hpp"

#include <memory>
#include <string>

#include <sys/types.h>

namespace sluice {

/// A connected client of a PipeServer, with the credentials the kernel vouches for.
struct PipeClient {
    Stream stream;
    uid_t uid; // (uid_t)-1 when the kernel did not say
    pid_t pid;
};

/// Listens on a Unix stream socket file. The file is created with its final mode (the umask is
/// set around bind(), so it is never reachable with a wider mode). A socket file left behind by
/// a crashed process is replaced; one that a live process still accepts on is not, and neither
/// is anything that is not a socket. close() (or the destructor) wakes an accept() with
/// Cancelled and removes the socket file if it is still the one this server created.
class PipeServer {
public:
    /// Binds and listens on `path`. Throws IoError: the path is in use by a live process
    /// (UV_EADDRINUSE), is not a socket (UV_EEXIST), is too long, or bind() failed.
    static std::unique_ptr<PipeServer> bind(Scheduler& scheduler, const std::string& path,
                                            unsigned mode, int backlog = 64);
    ~PipeServer();
    PipeServer(const PipeServer&) = delete;
    PipeServer& operator=(const PipeServer&) = delete;

    /// Waits for the next client. Throws Cancelled after close(), IoError when accept() fails
    /// for a reason other than a client that gave up (out of file descriptors, for example).
    Task<PipeClient> accept();
    void close();
    const std::string& path() const { return path_; }

private:
    PipeServer(Scheduler& scheduler, int fd, std::string path);

    Scheduler& scheduler_;
    int fd_;
    std::string path_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    std::unique_ptr<Poll> poll_;
};

} // namespace sluice
