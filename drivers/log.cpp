#include "drivers/log.hpp"

#include "drivers/runtime/errors.hpp"

#include <cstdio>
#include <string>
#include <unistd.h>
#include <utility>

namespace sluice {

namespace {
LogLevel g_level = LogLevel::info;
bool g_journal = false;

std::string_view level_word(LogLevel level) {
    switch (level) {
    case LogLevel::error:
        return "error";
    case LogLevel::warn:
        return "warn";
    case LogLevel::info:
        return "info";
    case LogLevel::debug:
        return "debug";
    }
    return "info";
}
} // namespace

bool parse_log_level(std::string_view text, LogLevel& out) {
    for (auto level : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug}) {
        if (text == level_word(level)) {
            out = level;
            return true;
        }
    }
    return false;
}

void Log::set_level(LogLevel level) {
    g_level = level;
}
LogLevel Log::level() {
    return g_level;
}
void Log::set_journal(bool journal) {
    g_journal = journal;
}
bool Log::enabled(LogLevel level) {
    return static_cast<int>(level) <= static_cast<int>(g_level);
}

void Log::write(LogLevel level, std::string_view component, std::string_view message) {
    if (!enabled(level)) {
        return;
    }
    std::string line;
    line.reserve(message.size() + component.size() + 16);
    if (g_journal) {
        line += '<';
        line += std::to_string(static_cast<int>(level));
        line += '>';
    } else {
        line += level_word(level);
        line += ": ";
    }
    if (!component.empty()) {
        line += component;
        line += ": ";
    }
    line += message;
    line += '\n';
    // One write per line so concurrent writers to the same journal stream never interleave.
    auto written = ::write(STDERR_FILENO, line.data(), line.size());
    (void)written;
}

std::function<void(const std::string&, std::exception_ptr)> log_failures(LogLevel level) {
    return [level](const std::string& name, std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const Cancelled&) {
        } catch (const std::exception& e) {
            Log::write(level, name, e.what());
        }
    };
}

RateLimitedLog::~RateLimitedLog() {
    report_suppressed();
}

RateLimitedLog::RateLimitedLog(RateLimitedLog&& other) noexcept
    : burst_(other.burst_), interval_(other.interval_), window_start_(other.window_start_),
      in_window_(other.in_window_), suppressed_(std::exchange(other.suppressed_, 0)),
      suppressed_level_(other.suppressed_level_),
      suppressed_component_(std::move(other.suppressed_component_)) {}

RateLimitedLog& RateLimitedLog::operator=(RateLimitedLog&& other) noexcept {
    if (this != &other) {
        report_suppressed();
        burst_ = other.burst_;
        interval_ = other.interval_;
        window_start_ = other.window_start_;
        in_window_ = other.in_window_;
        suppressed_ = std::exchange(other.suppressed_, 0);
        suppressed_level_ = other.suppressed_level_;
        suppressed_component_ = std::move(other.suppressed_component_);
    }
    return *this;
}

void RateLimitedLog::report_suppressed() noexcept {
    if (suppressed_ == 0) {
        return;
    }
    try {
        Log::write(suppressed_level_, suppressed_component_,
                   "suppressed " + std::to_string(suppressed_) + " similar messages");
    } catch (const std::exception&) {
        // Out of memory: the count is lost; logging must not take the daemon down.
    }
    suppressed_ = 0;
}

void RateLimitedLog::write_at(std::chrono::steady_clock::time_point now, LogLevel level,
                              std::string_view component, std::string_view message) {
    if (now - window_start_ >= interval_) {
        report_suppressed();
        window_start_ = now;
        in_window_ = 0;
    }
    if (in_window_ < burst_) {
        ++in_window_;
        Log::write(level, component, message);
        return;
    }
    if (suppressed_++ == 0) {
        suppressed_level_ = level;
        suppressed_component_.assign(component);
    }
}

} // namespace sluice
