#include "drivers/log.hpp"
#include "tests/support/captured_stderr.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sluice;
using sluice::test::CapturedStderr;

namespace {

std::size_t count_lines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

} // namespace

TEST_CASE("a repeated error is logged a few times per interval, then how many were suppressed") {
    CapturedStderr captured;
    RateLimitedLog limited(3, std::chrono::seconds(10));
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; ++i) {
        limited.write_at(t0 + std::chrono::milliseconds(i), LogLevel::warn, "in",
                         "bad frame " + std::to_string(i));
    }
    CHECK(captured.text() ==
          "warn: in: bad frame 0\nwarn: in: bad frame 1\nwarn: in: bad frame 2\n");
    // After the interval the next message reports what the last one kept quiet.
    limited.write_at(t0 + std::chrono::seconds(10), LogLevel::warn, "in", "bad frame 1000");
    auto text = captured.text();
    CHECK(text.find("warn: in: suppressed 997 similar messages\nwarn: in: bad frame 1000\n") !=
          std::string::npos);
    CHECK(count_lines(text) == 5);
}

TEST_CASE("what a rate-limited log kept quiet is counted when its owner ends") {
    CapturedStderr captured;
    {
        RateLimitedLog limited(2, std::chrono::seconds(10));
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 100; ++i) {
            limited.write_at(t0, LogLevel::warn, "in", "bad frame");
        }
        CHECK(count_lines(captured.text()) == 2);
    }
    CHECK(captured.text() ==
          "warn: in: bad frame\nwarn: in: bad frame\nwarn: in: suppressed 98 similar messages\n");
    {
        RateLimitedLog quiet(2, std::chrono::seconds(10));
        quiet.write(LogLevel::warn, "in", "one");
    }
    CHECK(count_lines(captured.text()) == 4); // nothing suppressed, nothing more to say
}

TEST_CASE("log lines carry a syslog priority instead of the level word for the journal") {
    CapturedStderr captured;
    Log::set_journal(true);
    log_error("out", "disk full");
    log_info("", "started");
    Log::set_journal(false);
    log_warn("out", "slow");
    CHECK(captured.text() == "<3>out: disk full\n<6>started\nwarn: out: slow\n");
}
