#include "bench/support/net.hpp"

#include "bench/support/clock.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::bench {

namespace {
sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

const sockaddr* as_sockaddr(const sockaddr_in& address) {
    return reinterpret_cast<const sockaddr*>(&address);
}
} // namespace

void throw_errno(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

int tcp_listen(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw_errno("socket");
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto address = loopback(port);
    if (::bind(fd, as_sockaddr(address), sizeof address) != 0) {
        throw_errno("bind 127.0.0.1:" + std::to_string(port));
    }
    if (::listen(fd, 16) != 0) {
        throw_errno("listen");
    }
    return fd;
}

bool wait_readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno != EINTR) {
        throw_errno("poll");
    }
    return n > 0;
}

int tcp_accept(int listener, int timeout_ms) {
    if (!wait_readable(listener, timeout_ms)) {
        throw std::runtime_error("no connection within " + std::to_string(timeout_ms) + " ms");
    }
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
        throw_errno("accept");
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

int tcp_connect(std::uint16_t port, int timeout_ms) {
    auto deadline = mono_ns() + std::int64_t{timeout_ms} * 1'000'000;
    auto address = loopback(port);
    while (true) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw_errno("socket");
        }
        if (::connect(fd, as_sockaddr(address), sizeof address) == 0) {
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        int error = errno;
        ::close(fd);
        if (error != ECONNREFUSED || mono_ns() > deadline) {
            errno = error;
            throw_errno("connect 127.0.0.1:" + std::to_string(port));
        }
        ::usleep(10'000);
    }
}

int udp_connect(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw_errno("socket");
    }
    auto address = loopback(port);
    if (::connect(fd, as_sockaddr(address), sizeof address) != 0) {
        throw_errno("connect udp 127.0.0.1:" + std::to_string(port));
    }
    return fd;
}

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("write");
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace sluice::bench
