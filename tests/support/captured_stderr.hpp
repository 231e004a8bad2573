#pragma once
// Test support: what this process writes to stderr (the log), captured for a test to read.

#include <cstdio>
#include <string>

namespace sluice::test {

/// Sends this process's stderr to a temporary file for its lifetime and reads it back.
class CapturedStderr {
public:
    CapturedStderr();
    ~CapturedStderr();
    CapturedStderr(const CapturedStderr&) = delete;
    CapturedStderr& operator=(const CapturedStderr&) = delete;

    /// Everything written to stderr since the capture began.
    std::string text() const;

private:
    int saved_;
    std::FILE* file_;
};

/// How many times `needle` occurs in `text`.
std::size_t count_of(const std::string& text, const std::string& needle);

} // namespace sluice::test
