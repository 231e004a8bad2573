#pragma once
// What every source, sink and actuator shares: its status for `sluice status`.

#include "pipeline/event.hpp"
#include "pipeline/options.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

enum class ComponentState { running, connecting, backoff, error, stopped };
std::string_view state_name(ComponentState state);

/// The counters and state SPEC §5 lists for each component. Owned by the component; read by
/// the status socket. received == sent + dropped + buffered holds for sinks.
struct ComponentStatus {
    std::string name;
    ComponentKind kind = ComponentKind::source;
    std::string type;
    ComponentState state = ComponentState::stopped;
    std::uint64_t events_in = 0;
    std::uint64_t events_out = 0;
    std::uint64_t events_dropped = 0;
    std::uint64_t errors = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t queue_depth = 0;
    Nanos last_event = 0; // wall clock of the last event in, 0 if none
    std::string last_error;

    void record_error(std::string message) {
        ++errors;
        last_error = std::move(message);
    }
};

/// Wall-clock time in ns since the epoch: event timestamps and the pipeline clock.
Nanos wall_clock_now();

} // namespace sluice
