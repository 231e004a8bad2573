#include "drivers/component.hpp"

#include <time.h>

namespace sluice {

std::string_view state_name(ComponentState state) {
    switch (state) {
    case ComponentState::running:
        return "running";
    case ComponentState::connecting:
        return "connecting";
    case ComponentState::backoff:
        return "backoff";
    case ComponentState::error:
        return "error";
    case ComponentState::stopped:
        return "stopped";
    }
    return "?";
}

Nanos wall_clock_now() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<Nanos>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace sluice
