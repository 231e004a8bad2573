#pragma once
// Real peers for end-to-end tests of the drivers: socat pseudo-terminal pairs, loopback TCP
// sockets, and the resident memory of a child process.

#include "tests/support/process.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace sluice::test {

/// Two ptys joined by socat, like a serial cable: sluice opens a(), the test uses b().
/// stop() is an unplug, start() a replug at the same paths.
class PtyPair {
public:
    explicit PtyPair(const std::string& base) : a_(base + "-a"), b_(base + "-b") { start(); }
    ~PtyPair() { stop(); }
    PtyPair(const PtyPair&) = delete;
    PtyPair& operator=(const PtyPair&) = delete;

    void start() {
        socat_ =
            std::make_unique<Process>(std::vector<std::string>{"socat", "pty,raw,echo=0,link=" + a_,
                                                               "pty,raw,echo=0,link=" + b_},
                                      Process::Options{});
        wait_until([&] { return std::filesystem::exists(a_) && std::filesystem::exists(b_); });
        peer_ = ::open(b_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        termios tio{};
        tcgetattr(peer_, &tio);
        cfmakeraw(&tio);
        tcsetattr(peer_, TCSANOW, &tio);
    }
    void stop() {
        if (peer_ >= 0) {
            ::close(peer_);
            peer_ = -1;
        }
        if (socat_) {
            socat_->signal(SIGTERM);
            socat_->wait(std::chrono::seconds(5));
            socat_.reset();
        }
        std::error_code ignored;
        std::filesystem::remove(a_, ignored);
        std::filesystem::remove(b_, ignored);
    }
    const std::string& a() const { return a_; }
    void write(const std::string& bytes) {
        auto n = ::write(peer_, bytes.data(), bytes.size());
        (void)n;
    }
    /// Everything the device end has received so far.
    const std::string& received() {
        char buffer[4096];
        while (peer_ >= 0) {
            auto n = ::read(peer_, buffer, sizeof(buffer));
            if (n <= 0) {
                break;
            }
            received_.append(buffer, static_cast<std::size_t>(n));
        }
        return received_;
    }

private:
    std::string a_, b_;
    std::unique_ptr<Process> socat_;
    int peer_ = -1;
    std::string received_;
};

inline sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(0);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

/// A socket listening on 127.0.0.1:port, or -1. `receive_buffer` > 0 sets the receive buffer the
/// accepted connections inherit (small buffers make a peer that does not read push back soon).
inline int listen_on_loopback(int port, int receive_buffer = 0) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (receive_buffer > 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    auto address = loopback(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd, 4) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Connects to 127.0.0.1:port, retrying while nobody listens yet (the daemon is starting).
inline int connect_when_listening(int port, int send_buffer = 0) {
    int fd = -1;
    wait_until([&] {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (send_buffer > 0) {
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
        }
        auto address = loopback(port);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
            return true;
        }
        ::close(fd);
        fd = -1;
        return false;
    });
    return fd;
}

inline bool send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// VmRSS of process `pid` in KiB (0 if unknown).
inline long resident_kib(int pid) {
    auto status = read_file("/proc/" + std::to_string(pid) + "/status");
    auto at = status.find("VmRSS:");
    return at == std::string::npos ? 0 : std::stol(status.substr(at + 6));
}

/// The value of `key` in component `name` of `sluice status --json` on `socket`, as JSON text
/// ("backoff" with its quotes, 3), or empty when the daemon does not answer.
inline std::string component_value(const std::string& socket, const std::string& name,
                                   const std::string& key) {
    auto json = run({sluice_binary(), "status", "--json", "-s", socket}).out;
    auto at = json.find("{\"name\":\"" + name + "\"");
    if (at == std::string::npos) {
        return {};
    }
    auto field = json.find("\"" + key + "\":", at);
    if (field == std::string::npos) {
        return {};
    }
    field += key.size() + 3;
    return json.substr(field, json.find_first_of(",}", field) - field);
}

/// How often `needle` occurs in `text`.
inline std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

} // namespace sluice::test
