#pragma once
// The error libzmq calls throw.

#include <stdexcept>
#include <string>

namespace sluice {

/// A libzmq call failed. `code` is the errno value libzmq set; what() reads
/// "<operation>: <zmq_strerror(code)>". Would-block is never an error: calls that can block
/// return it as a value.
class ZmqError : public std::runtime_error {
public:
    ZmqError(const std::string& operation, int code);
    int code() const { return code_; }

private:
    int code_;
};

} // namespace sluice
