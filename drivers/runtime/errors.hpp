#pragma once
// The errors the runtime and drivers throw. Would-block and end-of-stream are values, not errors.

#include <stdexcept>
#include <string>

namespace sluice {

/// The operation was cancelled because its handle was closed (shutdown, reload, reconnect).
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("operation cancelled") {}
};

/// An output's reader has gone for good (standard output's pipe was closed, as `head` does):
/// nothing written to it can arrive any more, so retrying is pointless.
class OutputGone : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A sink's output was closed and could not be opened again (a file rotation whose new file
/// could not be created). Nothing of the batch being written was lost: Sink::run() keeps it,
/// opens the sink again through open() (with backoff, state `backoff`) and then writes it.
class ReopenNeeded : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A libuv or system call failed. `code` is the libuv error (negative errno).
class IoError : public std::runtime_error {
public:
    IoError(std::string what, int code);
    int code() const { return code_; }

private:
    int code_;
};

/// Throws Cancelled for UV_ECANCELED, IoError for any other negative status.
void throw_if_error(int status, const char* operation);

} // namespace sluice
