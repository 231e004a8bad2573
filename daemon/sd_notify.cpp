#include "daemon/sd_notify.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sluice {

namespace {

std::uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000 +
           static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

std::uint64_t parse_u64(const char* text) {
    std::uint64_t value = 0;
    if (!text) {
        return 0;
    }
    std::string_view view(text);
    auto result = std::from_chars(view.data(), view.data() + view.size(), value);
    return result.ec == std::errc() && result.ptr == view.data() + view.size() ? value : 0;
}

/// The watchdog interval systemd asks for, if it is meant for this process.
std::uint64_t watchdog_from_environment() {
    auto usec = parse_u64(std::getenv("WATCHDOG_USEC"));
    if (const char* pid = std::getenv("WATCHDOG_PID")) {
        if (parse_u64(pid) != static_cast<std::uint64_t>(getpid())) {
            return 0;
        }
    }
    // Half the timeout, as sd_watchdog_enabled(3) recommends; at least 1 ms.
    return usec == 0 ? 0 : std::max<std::uint64_t>(1, usec / 2000);
}

/// One line of text for STATUS=: newlines would start a new assignment.
std::string one_line(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return out;
}

} // namespace

SdNotifier::SdNotifier() {
    const char* socket_path = std::getenv("NOTIFY_SOCKET");
    watchdog_interval_ms_ = watchdog_from_environment();
    if (socket_path && (socket_path[0] == '/' || socket_path[0] == '@') &&
        std::strlen(socket_path) < sizeof(sockaddr_un::sun_path)) {
        address_ = socket_path;
        if (address_[0] == '@') {
            address_[0] = '\0';
        }
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    }
    if (fd_ < 0) {
        watchdog_interval_ms_ = 0;
    }
    // Children (exec sinks) must not talk to the manager in our name.
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
}

SdNotifier::~SdNotifier() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void SdNotifier::send(const std::string& message) {
    if (fd_ < 0) {
        return;
    }
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, address_.data(), address_.size());
    auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
    // A full or missing socket loses this one message; the daemon goes on either way.
    auto sent = ::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                         reinterpret_cast<const sockaddr*>(&address), length);
    (void)sent;
}

void SdNotifier::ready(std::string_view status) {
    send("READY=1\nSTATUS=" + one_line(status));
}

void SdNotifier::reloading() {
    send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

void SdNotifier::stopping(std::string_view status) {
    send("STOPPING=1\nSTATUS=" + one_line(status));
}

void SdNotifier::status(std::string_view status) {
    send("STATUS=" + one_line(status));
}

void SdNotifier::watchdog() {
    send("WATCHDOG=1");
}

} // namespace sluice
