#include "daemon/client.hpp"

#include "daemon/json.hpp"
#include "daemon/status_report.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace sluice {

namespace {

constexpr int kTimeoutMs = 10'000;
// A reload loads and checks the whole file; give it longer than a status query.
constexpr int kReloadTimeoutMs = 60'000;

std::runtime_error system_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

/// The daemon's reply when it is an error ({"ok":false,"error":...}), else nullopt.
std::optional<std::string> error_of(const std::string& line) {
    std::string ignored;
    auto reply = parse_json(line, ignored);
    if (!reply || !reply->is_object()) {
        return "unexpected reply from the daemon: " + line;
    }
    const auto* ok = reply->find("ok");
    if (ok && ok->is_bool() && !ok->as_bool()) {
        const auto* error = reply->find("error");
        return error && error->is_string() ? error->as_string() : std::string("failed");
    }
    return std::nullopt;
}

std::string request(std::string_view cmd) {
    std::string out;
    JsonWriter(out).begin_object().key("cmd").string(cmd).end_object();
    return out;
}

int fail(const std::string& message) {
    std::cerr << "sluice: " << message << "\n";
    return 1;
}

/// Sends one request and returns the one-line reply.
std::string ask(const std::string& socket, const std::string& line, int timeout_ms) {
    StatusClient client(socket);
    client.set_timeout_ms(timeout_ms);
    client.send_line(line);
    auto reply = client.read_line();
    if (!reply) {
        throw std::runtime_error("the daemon closed the connection without replying");
    }
    return *reply;
}

} // namespace

StatusClient::StatusClient(const std::string& path) : path_(path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path) {
        throw std::runtime_error("status socket path '" + path + "' is empty or too long");
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        throw system_error("socket");
    }
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        auto error = system_error("cannot connect to the status socket " + path);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(std::string(error.what()) + " (is sluice running?)");
    }
}

StatusClient::~StatusClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void StatusClient::set_timeout_ms(int ms) {
    timeval tv{};
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void StatusClient::send_line(const std::string& request) {
    std::string line = request + "\n";
    std::size_t sent = 0;
    while (sent < line.size()) {
        auto n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
            // The daemon closed before reading, as it does after refusing a client (too many at
            // once): the reply it wrote first says why, so read_line() gets to show it.
            return;
        }
        if (n < 0) {
            throw system_error("sending to " + path_);
        }
        sent += static_cast<std::size_t>(n);
    }
}

std::optional<std::string> StatusClient::read_line() {
    char chunk[65536];
    while (true) {
        auto newline = buffered_.find('\n');
        if (newline != std::string::npos) {
            auto line = buffered_.substr(0, newline);
            buffered_.erase(0, newline + 1);
            return line;
        }
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            throw std::runtime_error("no reply from the daemon within the timeout");
        }
        if (n < 0) {
            throw system_error("reading from " + path_);
        }
        if (n == 0) {
            if (buffered_.empty()) {
                return std::nullopt;
            }
            return std::exchange(buffered_, {});
        }
        buffered_.append(chunk, static_cast<std::size_t>(n));
    }
}

int run_status_command(const std::string& socket, bool json) {
    try {
        auto reply = ask(socket, request("status"), kTimeoutMs);
        if (auto error = error_of(reply)) {
            return fail(*error);
        }
        if (json) {
            std::cout << reply << "\n";
            return 0;
        }
        std::string error;
        auto report = parse_status_json(reply, error);
        if (!report) {
            return fail(error);
        }
        std::cout << render_status_table(*report);
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

int run_tap_command(const std::string& socket, const std::string& component, std::uint64_t limit) {
    try {
        StatusClient client(socket);
        client.set_timeout_ms(kTimeoutMs);
        std::string line;
        JsonWriter(line)
            .begin_object()
            .key("cmd")
            .string("tap")
            .key("component")
            .string(component)
            .key("limit")
            .unsigned_integer(limit)
            .end_object();
        client.send_line(line);
        // Events come when they come: no timeout while streaming.
        client.set_timeout_ms(0);
        while (auto event = client.read_line()) {
            // Every event line starts with its _ts; anything else is the daemon's refusal.
            if (event->rfind("{\"_ts\":", 0) != 0) {
                auto error = error_of(*event);
                return fail(error ? *error : "unexpected reply: " + *event);
            }
            event->push_back('\n');
            std::fwrite(event->data(), 1, event->size(), stdout);
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

int run_reload_command(const std::string& socket) {
    try {
        auto reply = ask(socket, request("reload"), kReloadTimeoutMs);
        if (auto error = error_of(reply)) {
            // Only a file with errors (FILE:LINE:COL: error: ...) is a failed reload. A refusal
            // (the daemon is stopping, a user who may not reload, too many clients) is not, and
            // saying the previous configuration keeps running would be wrong while it stops.
            if (error->find(": error: ") == std::string::npos) {
                return fail(*error);
            }
            std::cerr << "sluice: reload failed; the daemon keeps running its previous "
                         "configuration:\n"
                      << *error << "\n";
            return 1;
        }
        std::string ignored;
        auto parsed = parse_json(reply, ignored);
        const auto* summary = parsed ? parsed->find("summary") : nullptr;
        std::cout << "reloaded: " << (summary && summary->is_string() ? summary->as_string() : "")
                  << "\n";
        const auto* warnings = parsed ? parsed->find("warnings") : nullptr;
        if (warnings && warnings->is_string()) {
            std::cerr << warnings->as_string() << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

} // namespace sluice
