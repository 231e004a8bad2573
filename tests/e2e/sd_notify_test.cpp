// End-to-end: the systemd notification protocol, with the test playing the service manager.

#include "tests/e2e/ops_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

/// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
public:
    /// `name` starting with '@' is an abstract socket; otherwise a path.
    explicit NotifySocket(std::string name) : name_(std::move(name)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::copy(name_.begin(), name_.end(), address.sun_path);
        if (name_[0] == '@') {
            address.sun_path[0] = '\0';
        }
        auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0);
    }
    ~NotifySocket() { ::close(fd_); }
    const std::string& name() const { return name_; }

    struct Message {
        std::string text;
        Clock::time_point at;
    };

    /// The next datagram, or nullopt after `timeout`.
    std::optional<Message> next(std::chrono::milliseconds timeout = 20s) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            return std::nullopt;
        }
        char buffer[4096];
        auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) {
            return std::nullopt;
        }
        return Message{std::string(buffer, static_cast<std::size_t>(n)), Clock::now()};
    }

    /// Skips watchdog pings (recording them) until a message that is not one.
    std::optional<Message> next_state(std::chrono::milliseconds timeout = 20s) {
        while (auto message = next(timeout)) {
            if (message->text != "WATCHDOG=1") {
                return message;
            }
            pings.push_back(message->at);
        }
        return std::nullopt;
    }

    std::vector<Clock::time_point> pings;

private:
    std::string name_;
    int fd_ = -1;
};

std::string config_for(const TempDir& dir) {
    return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + dir.file("status.sock") +
                                          R"(
sources:
  in: {type: stdin}
stages:
  pass: {type: filter, inputs: [in], condition: "true"}
sinks:
  out: {type: file, inputs: [pass], path: )" +
                                          dir.file("out.jsonl") + R"(}
)");
}

std::uint64_t monotonic_usec() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000 +
           static_cast<std::uint64_t>(ts.tv_nsec) / 1000;
}

} // namespace

TEST_CASE("sd_notify: READY, watchdog pings, RELOADING around a reload, STOPPING on SIGTERM") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    NotifySocket manager(dir.file("notify.sock"));
    auto config = config_for(dir);
    Daemon daemon(config, input.path(),
                  {"NOTIFY_SOCKET=" + manager.name(), "WATCHDOG_USEC=200000"});

    auto ready = manager.next_state();
    REQUIRE(ready);
    CHECK(ready->text == "READY=1\nSTATUS=running 1 sources, 1 stages, 1 sinks");
    // The status socket is up by the time READY=1 is sent.
    CHECK(ask(dir.file("status.sock"), R"({"cmd":"status"})").has_value());

    // WATCHDOG=1 every WATCHDOG_USEC / 2 = 100 ms.
    while (manager.pings.size() < 6) {
        auto message = manager.next(5s);
        REQUIRE(message);
        REQUIRE(message->text == "WATCHDOG=1");
        manager.pings.push_back(message->at);
    }
    std::vector<double> gaps;
    for (std::size_t i = 1; i < manager.pings.size(); ++i) {
        gaps.push_back(
            std::chrono::duration<double, std::milli>(manager.pings[i] - manager.pings[i - 1])
                .count());
    }
    std::sort(gaps.begin(), gaps.end());
    CHECK(gaps.front() >= 80);
    CHECK(gaps[gaps.size() / 2] <= 250);

    auto before = monotonic_usec();
    auto reply = ask(dir.file("status.sock"), R"({"cmd":"reload"})");
    REQUIRE(reply);
    CHECK(reply->find("ok")->as_bool());
    auto reloading = manager.next_state();
    REQUIRE(reloading);
    REQUIRE(reloading->text.rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    auto usec = std::stoull(reloading->text.substr(reloading->text.find('=', 12) + 1));
    CHECK(usec >= before);
    CHECK(usec <= monotonic_usec());
    auto ready_again = manager.next_state();
    REQUIRE(ready_again);
    CHECK(ready_again->text ==
          "READY=1\nSTATUS=running 1 sources, 1 stages, 1 sinks; last reload ok");

    // A failed reload still ends with READY=1, and the status line says why.
    dir.write("pipeline.yaml", "version: 1\nsources: {}\n");
    daemon.signal(SIGHUP);
    auto reloading_again = manager.next_state();
    REQUIRE(reloading_again);
    CHECK(reloading_again->text.rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
    auto after_failure = manager.next_state();
    REQUIRE(after_failure);
    CHECK(after_failure->text.rfind("READY=1\nSTATUS=running 1 sources, 1 stages, 1 sinks; last "
                                    "reload failed: " +
                                        config + ":",
                                    0) == 0);

    manager.pings.clear();
    daemon.signal(SIGTERM);
    auto stopping = manager.next_state();
    REQUIRE(stopping);
    CHECK(stopping->text == "STOPPING=1\nSTATUS=stopping: draining sinks");
    CHECK(daemon.wait(20s) == 0);
}

TEST_CASE("sd_notify reaches an abstract notification socket") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    NotifySocket manager("@sluice-test-" + std::to_string(::getpid()) + "-" +
                         dir.path().substr(dir.path().rfind('-') + 1));
    Daemon daemon(config_for(dir), input.path(), {"NOTIFY_SOCKET=" + manager.name()});
    auto ready = manager.next_state();
    REQUIRE(ready);
    CHECK(ready->text.rfind("READY=1\n", 0) == 0);
    input.close();
    auto stopping = manager.next_state();
    REQUIRE(stopping);
    CHECK(stopping->text.rfind("STOPPING=1\n", 0) == 0);
    CHECK(daemon.wait(20s) == 0);
    // Without WATCHDOG_USEC there were no pings.
    CHECK(manager.pings.empty());
}

TEST_CASE("logs carry syslog priority prefixes when the journal reads stderr") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    Daemon daemon(config_for(dir), input.path(), {"JOURNAL_STREAM=8:12345"});
    REQUIRE(wait_for_status(dir.file("status.sock")));
    input.close();
    REQUIRE(daemon.wait(20s) == 0);
    auto err = daemon.stderr_text();
    CHECK(err.find("<6>started 3 components from ") != std::string::npos);
    CHECK(err.find("<6>stopping: every source has ended\n") != std::string::npos);
    CHECK(err.find("info:") == std::string::npos);
}
