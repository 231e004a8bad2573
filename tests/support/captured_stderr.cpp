#include "tests/support/captured_stderr.hpp"

#include <unistd.h>

namespace sluice::test {

CapturedStderr::CapturedStderr() : saved_(::dup(STDERR_FILENO)), file_(std::tmpfile()) {
    ::dup2(::fileno(file_), STDERR_FILENO);
}

CapturedStderr::~CapturedStderr() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    std::fclose(file_);
}

std::string CapturedStderr::text() const {
    std::string out;
    char buffer[4096];
    for (off_t at = 0;;) {
        auto n = ::pread(::fileno(file_), buffer, sizeof buffer, at);
        if (n <= 0) {
            return out;
        }
        out.append(buffer, static_cast<std::size_t>(n));
        at += n;
    }
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

} // namespace sluice::test
