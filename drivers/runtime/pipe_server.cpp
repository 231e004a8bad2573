#include "drivers/runtime/pipe_server.hpp"

#include "drivers/runtime/address.hpp"
#include "drivers/runtime/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sluice {

namespace {

/// Whether a process accepts connections on the socket file at `path`.
bool someone_listens(const sockaddr_un& address) {
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (probe < 0) {
        return false;
    }
    int status = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    // EAGAIN: a live listener whose backlog is full. ECONNREFUSED: nobody listens (stale).
    bool live = status == 0 || errno == EAGAIN || errno == EINPROGRESS;
    ::close(probe);
    return live;
}

/// Removes a stale socket file at `path`; refuses a live one or anything else.
void clear_stale(const std::string& path, const sockaddr_un& address) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return; // nothing there
    }
    if (!S_ISSOCK(info.st_mode)) {
        throw IoError(path + " exists and is not a socket; not replacing it", UV_EEXIST);
    }
    if (someone_listens(address)) {
        throw IoError(path + " is in use by another running process", UV_EADDRINUSE);
    }
    ::unlink(path.c_str());
}

int bind_with_mode(const std::string& path, const sockaddr_un& address, unsigned mode,
                   int backlog) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        throw IoError("socket", -errno);
    }
    // The file gets its mode at creation: a chmod() afterwards would leave a moment in which
    // anyone allowed by the process umask could connect.
    auto old_mask = ::umask(static_cast<mode_t>(~mode & 0777));
    int status = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    int bind_errno = errno;
    ::umask(old_mask);
    if (status != 0 || ::listen(fd, backlog) != 0) {
        int code = status != 0 ? bind_errno : errno;
        ::close(fd);
        throw IoError((status != 0 ? "bind " : "listen ") + path, -code);
    }
    return fd;
}

} // namespace

PipeServer::PipeServer(Scheduler& scheduler, int fd, std::string path)
    : scheduler_(scheduler), fd_(fd), path_(std::move(path)) {
    struct stat info {};
    if (::stat(path_.c_str(), &info) == 0) {
        device_ = info.st_dev;
        inode_ = info.st_ino;
    }
}

std::unique_ptr<PipeServer> PipeServer::bind(Scheduler& scheduler, const std::string& path,
                                             unsigned mode, int backlog) {
    auto address = unix_socket_address(path);
    clear_stale(path, address);
    int fd = bind_with_mode(path, address, mode, backlog);
    std::unique_ptr<PipeServer> server(new PipeServer(scheduler, fd, path));
    try {
        server->poll_ = std::make_unique<Poll>(scheduler, fd);
    } catch (...) {
        server->close();
        throw;
    }
    return server;
}

PipeServer::~PipeServer() {
    close();
}

void PipeServer::close() {
    if (fd_ < 0) {
        return;
    }
    if (poll_) {
        poll_->close();
    }
    // Only our own file: another daemon may have replaced it after deciding ours was stale.
    struct stat info {};
    if (::stat(path_.c_str(), &info) == 0 && info.st_dev == device_ && info.st_ino == inode_) {
        ::unlink(path_.c_str());
    }
    ::close(fd_);
    fd_ = -1;
}

Task<PipeClient> PipeServer::accept() {
    while (true) {
        if (fd_ < 0) {
            throw Cancelled{};
        }
        int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (client < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) {
                co_await poll_->wait(UV_READABLE);
                continue;
            }
            throw IoError("accept on " + path_, -errno);
        }
        ucred credentials{};
        credentials.uid = static_cast<uid_t>(-1);
        socklen_t length = sizeof credentials;
        ::getsockopt(client, SOL_SOCKET, SO_PEERCRED, &credentials, &length);
        std::optional<Stream> stream;
        try {
            stream.emplace(Stream::open_fd(scheduler_, client, Stream::Type::pipe));
        } catch (...) {
            ::close(client);
            throw;
        }
        co_return PipeClient{std::move(*stream), credentials.uid, credentials.pid};
    }
}

} // namespace sluice
