#pragma once
// What `status` reports, and its three renderings: the JSON reply, the table `sluice status`
// prints, and (metrics.hpp) the Prometheus text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// One source, stage, sink or actuator, with the counters SPEC §5 lists.
struct ComponentRow {
    std::string name;
    std::string kind;  // source | stage | sink | actuator
    std::string type;  // generator, filter, file...
    std::string state; // running | connecting | backoff | error | stopped
    std::uint64_t events_in = 0;
    std::uint64_t events_out = 0;
    std::uint64_t events_dropped = 0;
    std::uint64_t errors = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t queue_depth = 0;
    std::uint64_t evictions = 0;            // stages: per-key states evicted at max_keys
    std::optional<double> last_event_age_s; // none: no event yet, or not tracked (stages)
    std::string last_error;
};

/// The outcome of the last reload (SIGHUP or the `reload` command).
struct ReloadResult {
    bool ok = false;
    std::int64_t time = 0; // seconds since the epoch
    std::string error;     // FILE:LINE:COL: error: ... lines, or "reload refused: why", when not ok
    std::string summary;   // "2 kept, 1 replaced, 0 added, 0 removed", when ok
    std::string warnings;  // FILE:LINE:COL: warning: ... lines of a file that loaded, if any
};

/// A live `tap` and how many events it had to drop because its client was too slow.
struct TapRow {
    std::string component;
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
};

struct StatusReport {
    std::string version;
    std::int64_t pid = 0;
    std::string state; // running | stopping
    double uptime_s = 0;
    std::string config_path;
    std::string config_sha256;
    std::optional<ReloadResult> last_reload;
    std::uint64_t reloads_ok = 0;
    std::uint64_t reloads_failed = 0;
    std::uint64_t tap_events_dropped = 0; // by every tap so far, ended ones included
    std::vector<ComponentRow> components;
    std::vector<TapRow> taps;
};

/// The `status` reply: one JSON object, no newline, `"ok":true` first.
std::string render_status_json(const StatusReport& report);

/// Reads a `status` reply back (the CLI does, to print its table). nullopt and `error` when
/// the text is not a status reply.
std::optional<StatusReport> parse_status_json(std::string_view text, std::string& error);

/// The aligned table `sluice status` prints: a summary line, one row per component, and the
/// last error of each component that has one.
std::string render_status_table(const StatusReport& report);

} // namespace sluice
