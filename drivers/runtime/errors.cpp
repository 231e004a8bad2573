#include "drivers/runtime/errors.hpp"

#include <uv.h>

namespace sluice {

IoError::IoError(std::string what, int code)
    : std::runtime_error(what + ": " + uv_strerror(code)), code_(code) {}

void throw_if_error(int status, const char* operation) {
    if (status == UV_ECANCELED) {
        throw Cancelled{};
    }
    if (status < 0) {
        throw IoError(operation, status);
    }
}

} // namespace sluice
