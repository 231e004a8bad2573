#pragma once
// Logging to stderr: one line per message, with the level, and systemd priority prefixes when
// the journal reads our stderr.

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace sluice {

enum class LogLevel { error = 3, warn = 4, info = 6, debug = 7 };

/// Parses "error" | "warn" | "info" | "debug".
bool parse_log_level(std::string_view text, LogLevel& out);

/// Process-wide logger. Single-threaded, like the rest of the daemon.
class Log {
public:
    static void set_level(LogLevel level);
    static LogLevel level();
    /// Uses "<N>" priority prefixes instead of level words (set when $JOURNAL_STREAM is set).
    static void set_journal(bool journal);
    static bool enabled(LogLevel level);
    static void write(LogLevel level, std::string_view component, std::string_view message);
};

inline void log_error(std::string_view component, std::string_view message) {
    Log::write(LogLevel::error, component, message);
}
inline void log_warn(std::string_view component, std::string_view message) {
    Log::write(LogLevel::warn, component, message);
}
inline void log_info(std::string_view component, std::string_view message) {
    Log::write(LogLevel::info, component, message);
}

/// A failure handler for Scope: logs a task's failure at `level` under the task's name. A task
/// that ended with Cancelled (shutdown, a reload, a closed handle) did not fail.
std::function<void(const std::string& name, std::exception_ptr error)> log_failures(LogLevel level);

/// Limits a condition that can fire per event (a decode error) to `burst` lines per interval;
/// the first line after a quiet spell says how many were suppressed, and so does the end of the
/// component that owns the log (a batch job's undecodable lines are all counted at its end).
class RateLimitedLog {
public:
    explicit RateLimitedLog(int burst = 5,
                            std::chrono::steady_clock::duration interval = std::chrono::seconds(10))
        : burst_(burst), interval_(interval) {}
    ~RateLimitedLog();
    /// A moved log takes the count along; the one it came from has nothing left to report.
    RateLimitedLog(RateLimitedLog&& other) noexcept;
    RateLimitedLog& operator=(RateLimitedLog&& other) noexcept;
    void write(LogLevel level, std::string_view component, std::string_view message) {
        write_at(std::chrono::steady_clock::now(), level, component, message);
    }
    /// write() at a given time (tests drive the clock).
    void write_at(std::chrono::steady_clock::time_point now, LogLevel level,
                  std::string_view component, std::string_view message);

private:
    void report_suppressed() noexcept;

    int burst_;
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point window_start_{};
    int in_window_ = 0;
    std::uint64_t suppressed_ = 0;
    LogLevel suppressed_level_ = LogLevel::warn;
    std::string suppressed_component_; // of the first message suppressed in this interval
};

} // namespace sluice
