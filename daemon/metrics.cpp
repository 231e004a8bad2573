#include "daemon/metrics.hpp"

#include "pipeline/codec/text_format.hpp"

#include <cstdint>

namespace sluice {

namespace {

/// Label values escape backslash, double quote and newline (the exposition format's rule).
std::string label_value(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\\' || c == '"') {
            out.push_back('\\');
            out.push_back(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string labels(const ComponentRow& row) {
    return "{component=\"" + label_value(row.name) + "\",kind=\"" + label_value(row.kind) + "\"}";
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void sample(std::string& out, std::string_view name, const std::string& label_text,
            std::uint64_t value) {
    out.append(name).append(label_text).append(" ").append(std::to_string(value)).append("\n");
}

void sample(std::string& out, std::string_view name, const std::string& label_text, double value) {
    out.append(name).append(label_text).append(" ");
    append_double(out, value);
    out.append("\n");
}

struct CounterColumn {
    std::string_view name;
    std::string_view type;
    std::string_view help;
    std::uint64_t ComponentRow::*field;
};

constexpr CounterColumn kColumns[] = {
    {"sluice_component_events_in_total", "counter", "Events the component received.",
     &ComponentRow::events_in},
    {"sluice_component_events_out_total", "counter", "Events the component passed on or wrote.",
     &ComponentRow::events_out},
    {"sluice_component_events_dropped_total", "counter",
     "Events the component dropped (filtered, throttled, queue full).",
     &ComponentRow::events_dropped},
    {"sluice_component_errors_total", "counter",
     "Errors: undecodable input, failed writes, evaluation errors.", &ComponentRow::errors},
    {"sluice_component_bytes_in_total", "counter", "Bytes the component read.",
     &ComponentRow::bytes_in},
    {"sluice_component_bytes_out_total", "counter", "Bytes the component wrote.",
     &ComponentRow::bytes_out},
    {"sluice_component_evictions_total", "counter", "Per-key states a stage evicted at max_keys.",
     &ComponentRow::evictions},
    {"sluice_component_queue_depth", "gauge",
     "Events waiting in the component's queue or held by the stage.", &ComponentRow::queue_depth},
};

void daemon_metrics(std::string& out, const StatusReport& report) {
    header(out, "sluice_build_info", "gauge", "The sluice version; always 1.");
    sample(out, "sluice_build_info", "{version=\"" + label_value(report.version) + "\"}",
           std::uint64_t{1});
    header(out, "sluice_uptime_seconds", "gauge", "Seconds since the daemon started.");
    sample(out, "sluice_uptime_seconds", "", report.uptime_s);
    header(out, "sluice_reloads_total", "counter", "Configuration reloads by result.");
    sample(out, "sluice_reloads_total", "{result=\"ok\"}", report.reloads_ok);
    sample(out, "sluice_reloads_total", "{result=\"error\"}", report.reloads_failed);
    header(out, "sluice_last_reload_success", "gauge",
           "1 if the last reload succeeded (or none was tried), 0 if it failed.");
    bool ok = !report.last_reload || report.last_reload->ok;
    sample(out, "sluice_last_reload_success", "", std::uint64_t{ok ? 1u : 0u});
    header(out, "sluice_tap_events_dropped_total", "counter",
           "Events taps dropped because their client read too slowly.");
    sample(out, "sluice_tap_events_dropped_total", "", report.tap_events_dropped);
}

} // namespace

std::string render_metrics(const StatusReport& report) {
    std::string out;
    daemon_metrics(out, report);
    for (const auto& column : kColumns) {
        header(out, column.name, column.type, column.help);
        for (const auto& row : report.components) {
            sample(out, column.name, labels(row), row.*column.field);
        }
    }
    header(out, "sluice_component_last_event_age_seconds", "gauge",
           "Seconds since the component last received an event (absent before the first).");
    for (const auto& row : report.components) {
        if (row.last_event_age_s) {
            sample(out, "sluice_component_last_event_age_seconds", labels(row),
                   *row.last_event_age_s);
        }
    }
    header(out, "sluice_component_state", "gauge",
           "1 for the component's current state (running, connecting, backoff, error, stopped).");
    for (const auto& row : report.components) {
        auto with_state = labels(row);
        with_state.insert(with_state.size() - 1, ",state=\"" + label_value(row.state) + "\"");
        sample(out, "sluice_component_state", with_state, std::uint64_t{1});
    }
    return out;
}

} // namespace sluice
