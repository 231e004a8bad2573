#pragma once
// Test support: run the real sluice binary (or any program) as a child process.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test {

/// The sluice binary under test ($SLUICE_BIN, set by ctest).
std::string sluice_binary();
/// The source tree ($SLUICE_SOURCE_DIR, set by ctest).
std::string source_dir();

/// A child process with its stdout and stderr captured in files. The destructor kills (SIGKILL)
/// and reaps a child that is still running, so no test leaves a process behind.
class Process {
public:
    struct Options {
        std::string stdin_path;       // empty: /dev/null
        std::string stdout_path;      // empty: a capture file in the temp dir
        std::vector<std::string> env; // extra NAME=value entries
    };

    Process(std::vector<std::string> argv, Options options);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    int pid() const { return pid_; }
    void signal(int signum);
    /// Waits for exit up to `timeout`; returns the exit code (128+N for signal N), or nullopt
    /// if it is still running.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    /// Sends SIGTERM and waits up to `timeout`; returns the exit code (nullopt if it is still
    /// running) and how long the exit took.
    struct Termination {
        std::optional<int> exit_code;
        std::chrono::steady_clock::duration took;
    };
    Termination terminate(std::chrono::milliseconds timeout);
    std::string stdout_text() const;
    std::string stderr_text() const;

private:
    int pid_ = -1;
    std::optional<int> exit_code_;
    bool owns_stdout_ = false;
    std::string stdout_path_;
    std::string stderr_path_;
};

/// Runs a program to completion (with a generous deadline) and returns its exit code.
struct RunResult {
    int exit_code;
    std::string out;
    std::string err;
};
RunResult run(std::vector<std::string> argv, Process::Options options = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// A fresh directory removed with its contents at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    /// Writes `content` to `name` in the directory and returns the full path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

std::string read_file(const std::string& path);
std::vector<std::string> read_lines(const std::string& path);

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

} // namespace sluice::test
