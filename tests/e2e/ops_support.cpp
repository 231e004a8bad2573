#include "tests/e2e/ops_support.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace sluice::test {

Daemon::Daemon(const std::string& config, const std::string& stdin_path,
               std::vector<std::string> env, std::string stdout_path)
    : process_({sluice_binary(), "run", "-c", config},
               {stdin_path, std::move(stdout_path), std::move(env)}) {}

Daemon::~Daemon() {
    process_.signal(SIGTERM);
    auto code = process_.wait(std::chrono::seconds(30));
    if (std::uncaught_exceptions() > 0) {
        return;
    }
    auto err = process_.stderr_text();
    INFO(err);
    CHECK(code == 0);
    CHECK(err.find("Sanitizer") == std::string::npos);
    CHECK(err.find("runtime error:") == std::string::npos);
}

std::unique_ptr<Daemon> start_daemon(const std::string& config, const std::string& socket,
                                     const std::string& stdin_path) {
    auto daemon = std::make_unique<Daemon>(config, stdin_path);
    if (!wait_for_status(socket)) {
        throw std::runtime_error("the daemon's status socket " + socket +
                                 " never answered: " + daemon->stderr_text());
    }
    return daemon;
}

SocketClient::SocketClient(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        throw std::runtime_error("socket path too long: " + path);
    }
    std::memcpy(address.sun_path, path.data(), path.size());
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        auto message = std::string("connect ") + path + ": " + std::strerror(errno);
        if (fd_ >= 0) {
            ::close(fd_);
        }
        throw std::runtime_error(message);
    }
}

SocketClient::~SocketClient() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void SocketClient::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(n);
    }
}

std::optional<std::string> SocketClient::read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char chunk[65536];
    while (true) {
        if (auto newline = buffered_.find('\n'); newline != std::string::npos) {
            auto line = buffered_.substr(0, newline);
            buffered_.erase(0, newline + 1);
            return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return std::nullopt;
        }
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return std::nullopt;
        }
        buffered_.append(chunk, static_cast<std::size_t>(n));
    }
}

bool SocketClient::wait_closed(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char chunk[65536];
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd_, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return false;
        }
        auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            return true;
        }
    }
}

std::optional<JsonValue> ask(const std::string& socket, const std::string& request) {
    try {
        SocketClient client(socket);
        client.send(request + "\n");
        auto line = client.read_line();
        if (!line) {
            return std::nullopt;
        }
        std::string error;
        return parse_json(*line, error);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

const JsonValue* component(const JsonValue& status, const std::string& name) {
    const auto* components = status.find("components");
    if (!components) {
        return nullptr;
    }
    for (const auto& item : components->items()) {
        const auto* item_name = item.find("name");
        if (item_name && item_name->as_string() == name) {
            return &item;
        }
    }
    return nullptr;
}

std::int64_t counter(const std::string& socket, const std::string& name, const std::string& key) {
    auto status = ask(socket, R"({"cmd":"status"})");
    const auto* row = status ? component(*status, name) : nullptr;
    const auto* value = row ? row->find(key) : nullptr;
    return value && value->is_number() ? value->as_int() : -1;
}

bool wait_for_status(const std::string& socket) {
    return wait_until([&] { return ask(socket, R"({"cmd":"status"})").has_value(); });
}

Fifo::Fifo(const TempDir& dir, const std::string& name) : path_(dir.file(name)) {
    if (::mkfifo(path_.c_str(), 0600) != 0) {
        throw std::runtime_error("mkfifo " + path_);
    }
    // O_RDWR never blocks on a FIFO (Linux), and keeps a writer for the reader to see.
    fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
    if (fd_ < 0) {
        throw std::runtime_error("open " + path_);
    }
}

Fifo::~Fifo() {
    close();
}

void Fifo::write(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        auto n = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("write fifo: ") + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
}

void Fifo::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

std::string numbered_lines(std::int64_t first, std::int64_t count) {
    std::string out;
    for (auto seq = first; seq < first + count; ++seq) {
        out += R"({"seq":)" + std::to_string(seq) + R"(,"k":"x"})" + "\n";
    }
    return out;
}

} // namespace sluice::test
