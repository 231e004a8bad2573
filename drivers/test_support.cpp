#include "drivers/test_support.hpp"

#include "config/load.hpp"
#include "drivers/builtin.hpp"
#include "drivers/runtime/errors.hpp"
#include "pipeline/codec/codecs.hpp"
#include "pipeline/stages/builtin_stages.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

namespace sluice::testing {

namespace {

// The daemon ignores SIGPIPE (a peer that hangs up must not kill it); so do the tests.
const bool kIgnoreSigpipe = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}();

KindSpec without_factory_check(KindSpec spec) {
    spec.check = nullptr;
    return spec;
}

const KindRegistry& registry() {
    static const KindRegistry r = [] {
        KindRegistry built;
        built.add(builtin_stage_kinds());
        // Without the factory checks: a test hands the loaded config to the factory itself,
        // and some do so to see the factory's own errors.
        for (const auto& kind : builtin_source_kinds()) {
            built.add(without_factory_check(kind.spec));
        }
        for (const auto& kind : builtin_sink_kinds()) {
            built.add(without_factory_check(kind.spec));
        }
        return built;
    }();
    return r;
}

} // namespace

ComponentConfig component(const std::string& yaml, const std::string& name) {
    Diagnostics diagnostics("test.yaml");
    auto config = load_config_text(yaml, "test.yaml", registry(), diagnostics);
    std::string errors;
    for (const auto& d : diagnostics.all()) {
        errors += d.message + "\n";
    }
    INFO(errors);
    REQUIRE(config);
    for (auto& c : config->components) {
        if (c.name == name) {
            return c;
        }
    }
    FAIL("no component " << name);
    return {};
}

std::string load_errors(const std::string& yaml) {
    Diagnostics diagnostics("test.yaml");
    load_config_text(yaml, "test.yaml", registry(), diagnostics);
    return diagnostics.format_all();
}

std::string to_json(const Event& event) {
    static auto encoder = [] {
        Diagnostics diagnostics;
        static ConfigNode node = ConfigNode::make_mapping({});
        return make_encoder("json", Options(node, diagnostics));
    }();
    std::string out;
    encoder->encode(event, out);
    if (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

Event from_json(std::string_view json) {
    Diagnostics diagnostics;
    static ConfigNode node = ConfigNode::make_mapping({});
    auto decoder = make_decoder("json", Options(node, diagnostics));
    Event event;
    std::string error;
    REQUIRE(decoder->decode(json, event, error) == DecodeStatus::event);
    return event;
}

std::vector<Event> events_from_json(const std::vector<std::string>& lines) {
    std::vector<Event> events;
    for (const auto& line : lines) {
        events.push_back(from_json(line));
    }
    return events;
}

void CollectingOutput::push(EventBatch& batch) {
    ++pushes;
    for (const auto& event : batch) {
        lines.push_back(to_json(event));
    }
}

Task<void> CollectingOutput::capacity_changed() {
    co_await capacity_.wait();
}

void CollectingOutput::set_accepting(bool accepting) {
    accepting_ = accepting;
    capacity_.notify();
}

bool run_until(Scheduler& scheduler, const std::function<bool()>& done,
               std::chrono::milliseconds timeout) {
    uv_timer_t tick;
    uv_timer_init(scheduler.loop(), &tick);
    uv_timer_start(
        &tick, [](uv_timer_t*) {}, 5, 5);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool ok = done();
    while (!ok && std::chrono::steady_clock::now() < deadline) {
        scheduler.run_once_nowait();
        uv_run(scheduler.loop(), UV_RUN_ONCE);
        ok = done();
    }
    uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
    uv_run(scheduler.loop(), UV_RUN_NOWAIT);
    return ok;
}

Task<void> run_source(Source* source, Scheduler* scheduler, SourceOutput* output,
                      std::string* outcome) {
    try {
        co_await source->run(*scheduler, *output);
        *outcome = "ended";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    } catch (const std::exception& e) {
        *outcome = e.what();
    }
}

Task<void> run_sink(Sink* sink, std::string* outcome) {
    try {
        co_await sink->run();
        *outcome = "ended";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    } catch (const std::exception& e) {
        *outcome = e.what();
    }
}

SinkHarness::SinkHarness(const std::string& yaml, const std::string& name)
    : SinkHarness(component(yaml, name)) {}

SinkHarness::SinkHarness(const ComponentConfig& config) {
    Diagnostics diagnostics;
    for (const auto& kind : builtin_sink_kinds()) {
        if (kind.spec.type == config.type) {
            sink = kind.make(config, diagnostics, scheduler);
        }
    }
    std::string errors;
    for (const auto& d : diagnostics.all()) {
        errors += d.message + "\n";
    }
    INFO(errors);
    REQUIRE(sink);
    scope.spawn(run_sink(sink.get(), &outcome), config.name);
}

SinkHarness::~SinkHarness() {
    if (scope.active() > 0) {
        sink->abort();
        run_until(scheduler, [&] { return scope.active() == 0; });
    }
    sink.reset();
    scheduler.run();
    CHECK(scheduler.close());
}

void SinkHarness::feed(const std::vector<std::string>& json_lines) {
    auto events = events_from_json(json_lines);
    sink->accept(events);
}

bool SinkHarness::finish(std::chrono::milliseconds timeout) {
    sink->stop();
    return run_until(
        scheduler, [&] { return scope.active() == 0; }, timeout);
}

PtyPair::PtyPair(std::string dir) : a_(dir + "/pty-a"), b_(dir + "/pty-b") {
    start();
}

PtyPair::~PtyPair() {
    stop();
}

void PtyPair::start() {
    socat_ = std::make_unique<sluice::test::Process>(
        std::vector<std::string>{"socat", "pty,raw,echo=0,link=" + a_, "pty,raw,echo=0,link=" + b_},
        sluice::test::Process::Options{});
    REQUIRE(sluice::test::wait_until(
        [&] { return std::filesystem::exists(a_) && std::filesystem::exists(b_); }));
}

void PtyPair::stop() {
    if (peer_ >= 0) {
        ::close(peer_);
        peer_ = -1;
    }
    if (socat_) {
        socat_->signal(SIGTERM);
        socat_->wait(std::chrono::seconds(5));
        socat_.reset();
    }
    std::filesystem::remove(a_);
    std::filesystem::remove(b_);
}

int PtyPair::peer() {
    if (peer_ < 0) {
        peer_ = ::open(b_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(peer_ >= 0);
        termios tio{};
        tcgetattr(peer_, &tio);
        cfmakeraw(&tio);
        tcsetattr(peer_, TCSANOW, &tio);
    }
    return peer_;
}

void PtyPair::write(std::string_view bytes) {
    int fd = peer();
    while (!bytes.empty()) {
        auto n = ::write(fd, bytes.data(), bytes.size());
        if (n > 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
        } else {
            REQUIRE((n < 0 && (errno == EAGAIN || errno == EINTR)));
            // The pty buffer is full: let socat drain it.
            fd_set set;
            FD_ZERO(&set);
            FD_SET(fd, &set);
            timeval wait{0, 10000};
            select(fd + 1, nullptr, &set, nullptr, &wait);
        }
    }
}

void PtyPair::read_into(std::string& out) {
    char buffer[4096];
    while (true) {
        auto n = ::read(peer(), buffer, sizeof(buffer));
        if (n <= 0) {
            return;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

int free_port(int type) {
    int fd = ::socket(AF_INET, type, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

int connect_tcp(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

int listen_tcp(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(::listen(fd, 16) == 0);
    return fd;
}

bool write_all(int fd, std::string_view bytes) {
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

std::string read_all(int fd) {
    std::string out;
    char buffer[65536];
    while (true) {
        auto n = ::read(fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return out;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

SilentPort::SilentPort() {
    listener_ = listen_tcp(0);
    // A backlog of 0 leaves room for one queued connection; it is filled below and never
    // accepted.
    ::listen(listener_, 0);
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    // Fill the queue: connects succeed while it has room; once it is full they would hang.
    while (queued_.size() < 8) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
        queued_.push_back(fd);
        pollfd wait{fd, POLLOUT, 0};
        if (::poll(&wait, 1, 200) == 0) {
            break; // this SYN was dropped: the queue is full
        }
    }
}

SilentPort::~SilentPort() {
    for (int fd : queued_) {
        ::close(fd);
    }
    ::close(listener_);
}

} // namespace sluice::testing
