#include "drivers/zmq/zmq_error.hpp"

#include <zmq.h>

namespace sluice {

ZmqError::ZmqError(const std::string& operation, int code)
    : std::runtime_error(operation + ": " + zmq_strerror(code)), code_(code) {}

} // namespace sluice
