#include "config/section_options.hpp"

#include "pipeline/value_checks.hpp"

#include <array>
#include <string_view>

namespace sluice {
namespace {

using namespace std::string_view_literals;

constexpr std::array kLogLevels = {"error"sv, "warn"sv, "info"sv, "debug"sv};
constexpr std::array kWhenFull = {"block"sv, "drop_oldest"sv, "drop_newest"sv};

const OptionSpec kDaemon[] = {
    {.key = "status_socket",
     .type = OptionType::string,
     .default_value = "sluice.sock",
     .doc = "Path of the status socket. A relative path is taken under $RUNTIME_DIRECTORY when "
            "set, else the working directory. Not empty, and at most 107 bytes once resolved.",
     .check = check_socket_path},
    {"log_level", OptionType::choice, "info", "Least severe log level written to stderr.", false,
     kLogLevels},
    {"shutdown_timeout", OptionType::duration, "5s",
     "How long shutdown waits for queues to drain before it writes safe states and exits."},
};

const OptionSpec kSource[] = {
    {"type", OptionType::string, "", "The source type (see below).", true},
};

const OptionSpec kStage[] = {
    {"type", OptionType::string, "", "The stage type (see below).", true},
    {"inputs", OptionType::string_list, "",
     "What the stage reads: names of sources or stages, or `stage.output` for a stage's named "
     "output.",
     true},
    {"key", OptionType::string_list, "",
     "Fields whose values separate the state of stateful stages (one state per sensor); "
     "events the stage emits carry them."},
    {"max_keys",
     OptionType::integer,
     "10000",
     "Most keys with state; beyond it the least recently seen key is evicted and counted.",
     false,
     {},
     1},
};

const OptionSpec kSink[] = {
    {"type", OptionType::string, "", "The sink type (see below).", true},
    {"inputs", OptionType::string_list, "",
     "What the sink writes: names of sources or stages, or `stage.output`.", true},
    {"buffer", OptionType::node, "",
     "The queue in front of the sink: `max_events` (integer >= 1, default 10000) and "
     "`when_full` (block, drop_oldest or drop_newest; default block)."},
};

const OptionSpec kActuator[] = {
    {"type", OptionType::string, "", "The sink type that drives the device (see Sinks).", true},
    {"inputs", OptionType::string_list, "",
     "What the actuator acts on: names of sources or stages, or `stage.output`.", true},
    {"buffer", OptionType::node, "",
     "The queue in front of the actuator, as for sinks: `max_events` and `when_full`."},
    {"on_change_only", OptionType::boolean, "false",
     "Send a command only when its rendered text differs from the last one sent."},
    {"min_interval", OptionType::duration, "0s", "Never command the device more often than this."},
    {"safe_state", OptionType::string, "",
     "Command written on shutdown and when the actuator's inputs go stale, e.g. \"FAN 0\\n\"."},
    {"stale_after", OptionType::duration, "0s",
     "With `safe_state`: write it when no event has reached the actuator for this long "
     "(0s: never)."},
};

const OptionSpec kBuffer[] = {
    {"max_events", OptionType::integer, "10000", "Most events queued.", false, {}, 1},
    {"when_full", OptionType::choice, "block",
     "What a full queue does: `block` makes the pipeline wait for room, `drop_oldest` and "
     "`drop_newest` drop an event and count it.",
     false, kWhenFull},
};

} // namespace

std::span<const OptionSpec> daemon_options() {
    return kDaemon;
}

std::span<const OptionSpec> common_options(ComponentKind kind) {
    switch (kind) {
    case ComponentKind::source:
        return kSource;
    case ComponentKind::stage:
        return kStage;
    case ComponentKind::sink:
        return kSink;
    case ComponentKind::actuator:
        return kActuator;
    }
    return {};
}

std::span<const OptionSpec> buffer_options() {
    return kBuffer;
}

} // namespace sluice
