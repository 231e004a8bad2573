#pragma once
// Support for the operations tests: talking to the status socket, feeding stdin through a
// FIFO the test keeps open, and polling the daemon's counters.

#include "daemon/json.hpp"
#include "tests/support/process.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test {

/// The daemon under test, running `sluice run -c config`. When the test ends it is stopped with
/// SIGTERM, and (unless the test is already failing) must exit 0 without a sanitizer report.
class Daemon {
public:
    /// An empty `stdout_path` captures standard output in a temporary file.
    Daemon(const std::string& config, const std::string& stdin_path,
           std::vector<std::string> env = {}, std::string stdout_path = {});
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    int pid() const { return process_.pid(); }
    void signal(int signum) { process_.signal(signum); }
    std::optional<int> wait(std::chrono::milliseconds timeout) { return process_.wait(timeout); }
    std::string stderr_text() const { return process_.stderr_text(); }

private:
    Process process_;
};

/// Starts a Daemon and waits until its status socket answers.
std::unique_ptr<Daemon> start_daemon(const std::string& config, const std::string& socket,
                                     const std::string& stdin_path);

/// A blocking client of the status socket with a deadline on every read.
class SocketClient {
public:
    /// Connects to the Unix socket at `path`; throws std::runtime_error.
    explicit SocketClient(const std::string& path);
    ~SocketClient();
    SocketClient(const SocketClient&) = delete;
    SocketClient& operator=(const SocketClient&) = delete;

    void send(const std::string& bytes);
    /// The next line, or nullopt at end of stream or after `timeout`.
    std::optional<std::string>
    read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// Whether the daemon closed the connection within `timeout` (reading and discarding).
    bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    int fd() const { return fd_; }

private:
    int fd_ = -1;
    std::string buffered_;
};

/// Sends one request line and parses the one-line reply; nullopt on no reply or bad JSON.
std::optional<JsonValue> ask(const std::string& socket, const std::string& request);

/// The `status` reply's component named `name`, or nullptr.
const JsonValue* component(const JsonValue& status, const std::string& name);
/// A counter of a component in a fresh `status` reply; -1 when unavailable.
std::int64_t counter(const std::string& socket, const std::string& name, const std::string& key);

/// Waits until the daemon answers `status` on `socket`.
bool wait_for_status(const std::string& socket);

/// A FIFO in `dir` that the test holds open for writing, so a daemon reading it as stdin sees
/// end of input only when the test closes it.
class Fifo {
public:
    Fifo(const TempDir& dir, const std::string& name);
    ~Fifo();
    Fifo(const Fifo&) = delete;
    Fifo& operator=(const Fifo&) = delete;
    const std::string& path() const { return path_; }
    /// Writes all of `bytes` (blocking while the pipe is full).
    void write(const std::string& bytes);
    void close();

private:
    std::string path_;
    int fd_ = -1;
};

/// `count` JSON lines {"seq":first..,"k":"x"}.
std::string numbered_lines(std::int64_t first, std::int64_t count);

} // namespace sluice::test
