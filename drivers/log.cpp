#include "drivers/log.hpp"

#include "drivers/runtime/errors.hpp"

#include <cstdio>
#include <string>
#include <unistd.h>

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

void RateLimitedLog::write_at(std::chrono::steady_clock::time_point now, LogLevel level,
                              std::string_view component, std::string_view message) {
    if (now - window_start_ >= interval_) {
        if (suppressed_ > 0) {
            Log::write(level, component,
                       "suppressed " + std::to_string(suppressed_) + " similar messages");
        }
        window_start_ = now;
        in_window_ = 0;
        suppressed_ = 0;
    }
    if (in_window_ < burst_) {
        ++in_window_;
        Log::write(level, component, message);
    } else {
        ++suppressed_;
    }
}

} // namespace sluice
