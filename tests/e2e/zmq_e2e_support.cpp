#include "tests/e2e/zmq_e2e_support.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <zmq.hpp>

namespace sluice::test {

namespace {

constexpr int kSliceMs = 50;

std::optional<std::uint64_t> field_i(std::string_view payload) {
    auto at = payload.find("\"i\":");
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    auto [end, ec] =
        std::from_chars(payload.data() + at + 4, payload.data() + payload.size(), value);
    if (ec != std::errc()) {
        return std::nullopt;
    }
    return value;
}

/// The whole `{...}` object of the status reply that holds `"name":"<name>"`.
std::string_view component_object(std::string_view reply, const std::string& name) {
    auto at = reply.find("\"name\":\"" + name + "\"");
    if (at == std::string_view::npos) {
        return {};
    }
    auto begin = reply.rfind('{', at);
    bool in_string = false;
    for (auto i = at; i < reply.size(); ++i) {
        char c = reply[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '}') {
            return reply.substr(begin, i + 1 - begin);
        }
    }
    return {};
}

std::optional<std::string> ask_status(const std::string& socket_path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    socket_path.copy(address.sun_path, sizeof address.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    std::string request = "{\"cmd\":\"status\"}\n";
    if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
        ::close(fd);
        return std::nullopt;
    }
    std::string reply;
    char buffer[4096];
    while (reply.find('\n') == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) {
            break;
        }
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (reply.find('\n') == std::string::npos) {
        return std::nullopt;
    }
    return reply;
}

} // namespace

FastPusher::FastPusher(std::string endpoint, std::uint64_t count, std::size_t bytes) {
    thread_ = std::thread([this, endpoint, count, bytes] {
        zmq::context_t context(1);
        zmq::socket_t socket(context, zmq::socket_type::push);
        socket.set(zmq::sockopt::sndhwm, 1000);
        socket.set(zmq::sockopt::sndtimeo, kSliceMs);
        socket.set(zmq::sockopt::linger, 5000);
        socket.set(zmq::sockopt::reconnect_ivl, 10);
        socket.connect(endpoint);
        std::string message;
        for (std::uint64_t i = 0; i < count; ++i) {
            message = "{\"i\":" + std::to_string(i) + ",\"temp\":" + std::to_string(i % 50);
            if (message.size() + 12 < bytes) {
                message += ",\"pad\":\"" + std::string(bytes - message.size() - 10, 'p') + "\"";
            }
            message += "}";
            while (!socket.send(zmq::buffer(message), zmq::send_flags::none)) {
                if (stop_) {
                    return;
                }
            }
            ++sent_;
        }
        done_ = true;
    });
}

FastPusher::~FastPusher() {
    stop_ = true;
    thread_.join();
}

CheckingPuller::CheckingPuller(std::string endpoint, bool bind,
                               std::function<std::uint64_t(std::uint64_t)> expected) {
    thread_ = std::thread([this, endpoint, bind, expected] { serve(endpoint, bind, expected); });
}

CheckingPuller::~CheckingPuller() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void CheckingPuller::set_reading(bool reading) {
    {
        std::lock_guard lock(mutex_);
        reading_ = reading;
    }
    wake_.notify_all();
}

std::string CheckingPuller::first_error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

bool CheckingPuller::wait_while_paused() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return stop_ || reading_; });
    return !stop_;
}

void CheckingPuller::serve(std::string endpoint, bool bind,
                           std::function<std::uint64_t(std::uint64_t)> expected) {
    zmq::context_t context(1);
    zmq::socket_t socket(context, zmq::socket_type::pull);
    socket.set(zmq::sockopt::rcvhwm, 1000);
    // A fixed kernel buffer: with autotuning (tcp_rmem may allow 32 MiB) a consumer that
    // stops reading would still soak up tens of megabytes, and "stalled" would mean little.
    socket.set(zmq::sockopt::rcvbuf, 256 * 1024);
    socket.set(zmq::sockopt::rcvtimeo, kSliceMs);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::reconnect_ivl, 10);
    if (bind) {
        socket.bind(endpoint);
    } else {
        socket.connect(endpoint);
    }
    zmq::message_t message;
    while (wait_while_paused()) {
        if (!socket.recv(message, zmq::recv_flags::none)) {
            continue;
        }
        auto k = received_.load();
        auto i = field_i(message.to_string_view());
        if (!i || *i != expected(k)) {
            std::lock_guard lock(mutex_);
            if (error_.empty()) {
                error_ = "message " + std::to_string(k) + " is " + message.to_string() +
                         ", expected \"i\":" + std::to_string(expected(k));
            }
        }
        received_ = k + 1;
    }
}

std::optional<std::int64_t> status_counter(const std::string& socket, const std::string& name,
                                           const std::string& key) {
    auto reply = ask_status(socket);
    if (!reply) {
        return std::nullopt;
    }
    auto object = component_object(*reply, name);
    auto at = object.find("\"" + key + "\":");
    if (at == std::string_view::npos) {
        return std::nullopt;
    }
    auto digits = object.substr(at + key.size() + 3);
    std::int64_t value = 0;
    if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec != std::errc()) {
        return std::nullopt;
    }
    return value;
}

std::int64_t resident_kib(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::stoll(line.substr(6));
        }
    }
    return 0;
}

} // namespace sluice::test
