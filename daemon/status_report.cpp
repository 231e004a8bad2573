#include "daemon/status_report.hpp"

#include "daemon/json.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace sluice {

namespace {

double rounded_ms(double seconds) {
    return std::round(seconds * 1000.0) / 1000.0;
}

void write_component(JsonWriter& json, const ComponentRow& row) {
    json.begin_object();
    json.key("name").string(row.name);
    json.key("kind").string(row.kind);
    json.key("type").string(row.type);
    json.key("state").string(row.state);
    json.key("events_in").unsigned_integer(row.events_in);
    json.key("events_out").unsigned_integer(row.events_out);
    json.key("events_dropped").unsigned_integer(row.events_dropped);
    json.key("errors").unsigned_integer(row.errors);
    json.key("bytes_in").unsigned_integer(row.bytes_in);
    json.key("bytes_out").unsigned_integer(row.bytes_out);
    json.key("queue_depth").unsigned_integer(row.queue_depth);
    json.key("evictions").unsigned_integer(row.evictions);
    json.key("last_event_age_s");
    if (row.last_event_age_s) {
        json.number(rounded_ms(*row.last_event_age_s));
    } else {
        json.null();
    }
    json.key("last_error").string(row.last_error);
    json.end_object();
}

void write_reload(JsonWriter& json, const std::optional<ReloadResult>& reload) {
    if (!reload) {
        json.null();
        return;
    }
    json.begin_object();
    json.key("ok").boolean(reload->ok);
    json.key("time").integer(reload->time);
    if (reload->ok) {
        json.key("summary").string(reload->summary);
    } else {
        json.key("error").string(reload->error);
    }
    json.end_object();
}

std::uint64_t uint_of(const JsonValue& object, std::string_view key) {
    const auto* value = object.find(key);
    return value && value->is_number() ? value->as_uint() : 0;
}

std::string string_of(const JsonValue& object, std::string_view key) {
    const auto* value = object.find(key);
    return value && value->is_string() ? value->as_string() : std::string();
}

ComponentRow read_component(const JsonValue& object) {
    ComponentRow row;
    row.name = string_of(object, "name");
    row.kind = string_of(object, "kind");
    row.type = string_of(object, "type");
    row.state = string_of(object, "state");
    row.events_in = uint_of(object, "events_in");
    row.events_out = uint_of(object, "events_out");
    row.events_dropped = uint_of(object, "events_dropped");
    row.errors = uint_of(object, "errors");
    row.bytes_in = uint_of(object, "bytes_in");
    row.bytes_out = uint_of(object, "bytes_out");
    row.queue_depth = uint_of(object, "queue_depth");
    row.evictions = uint_of(object, "evictions");
    if (const auto* age = object.find("last_event_age_s"); age && age->is_number()) {
        row.last_event_age_s = age->as_double();
    }
    row.last_error = string_of(object, "last_error");
    return row;
}

std::optional<ReloadResult> read_reload(const JsonValue* value) {
    if (!value || !value->is_object()) {
        return std::nullopt;
    }
    ReloadResult reload;
    const auto* ok = value->find("ok");
    reload.ok = ok && ok->is_bool() && ok->as_bool();
    if (const auto* time = value->find("time"); time && time->is_number()) {
        reload.time = time->as_int();
    }
    reload.error = string_of(*value, "error");
    reload.summary = string_of(*value, "summary");
    return reload;
}

/// "850ms", "12s", "5m03s", "2h05m", "3d04h": short enough for a table column.
std::string format_duration(double seconds) {
    if (seconds < 1) {
        return std::to_string(static_cast<long>(seconds * 1000)) + "ms";
    }
    auto s = static_cast<long>(seconds);
    auto two = [](long n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    if (s < 60) {
        return std::to_string(s) + "s";
    }
    if (s < 3600) {
        return std::to_string(s / 60) + "m" + two(s % 60) + "s";
    }
    if (s < 86400) {
        return std::to_string(s / 3600) + "h" + two(s / 60 % 60) + "m";
    }
    return std::to_string(s / 86400) + "d" + two(s / 3600 % 24) + "h";
}

std::string format_time(std::int64_t epoch_s) {
    auto t = static_cast<std::time_t>(epoch_s);
    std::tm local{};
    localtime_r(&t, &local);
    char buffer[32];
    auto n = std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
    return std::string(buffer, n);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string summary_lines(const StatusReport& report) {
    std::string out = "sluice " + report.version + ", pid " + std::to_string(report.pid) + ", " +
                      report.state + ", up " + format_duration(report.uptime_s) + "\n";
    out +=
        "config " + report.config_path + " (sha256 " + report.config_sha256.substr(0, 12) + ")\n";
    if (report.last_reload) {
        const auto& reload = *report.last_reload;
        out += "last reload " + format_time(reload.time) + ": " +
               (reload.ok ? "ok, " + reload.summary : "failed: " + first_line(reload.error)) + "\n";
    }
    return out;
}

using Cells = std::vector<std::string>;

Cells cells_of(const ComponentRow& row) {
    auto age = row.last_event_age_s ? format_duration(*row.last_event_age_s) : std::string("-");
    return {row.name,
            row.kind,
            row.type,
            row.state,
            std::to_string(row.events_in),
            std::to_string(row.events_out),
            std::to_string(row.events_dropped),
            std::to_string(row.errors),
            std::to_string(row.queue_depth),
            age};
}

std::string aligned(const std::vector<Cells>& rows) {
    // Text columns are left-aligned, counters right-aligned, as `ps` and `ss` print them.
    constexpr std::size_t kFirstNumeric = 4;
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::string pad(widths[i] - row[i].size(), ' ');
            line += i < kFirstNumeric ? row[i] + pad : pad + row[i];
            line += i + 1 < row.size() ? "  " : "";
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

} // namespace

std::string render_status_json(const StatusReport& report) {
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    json.key("ok").boolean(true);
    json.key("version").string(report.version);
    json.key("pid").integer(report.pid);
    json.key("state").string(report.state);
    json.key("uptime_s").number(rounded_ms(report.uptime_s));
    json.key("config_path").string(report.config_path);
    json.key("config_sha256").string(report.config_sha256);
    json.key("last_reload");
    write_reload(json, report.last_reload);
    json.key("reloads_ok").unsigned_integer(report.reloads_ok);
    json.key("reloads_failed").unsigned_integer(report.reloads_failed);
    json.key("tap_events_dropped").unsigned_integer(report.tap_events_dropped);
    json.key("components").begin_array();
    for (const auto& row : report.components) {
        write_component(json, row);
    }
    json.end_array();
    json.key("taps").begin_array();
    for (const auto& tap : report.taps) {
        json.begin_object();
        json.key("component").string(tap.component);
        json.key("sent").unsigned_integer(tap.sent);
        json.key("dropped").unsigned_integer(tap.dropped);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return out;
}

std::optional<StatusReport> parse_status_json(std::string_view text, std::string& error) {
    auto root = parse_json(text, error);
    if (!root) {
        return std::nullopt;
    }
    const auto* components = root->find("components");
    if (!root->is_object() || !components || !components->is_array()) {
        error = "not a status reply: expected an object with 'components'";
        return std::nullopt;
    }
    StatusReport report;
    report.version = string_of(*root, "version");
    report.pid = static_cast<std::int64_t>(uint_of(*root, "pid"));
    report.state = string_of(*root, "state");
    if (const auto* uptime = root->find("uptime_s"); uptime && uptime->is_number()) {
        report.uptime_s = uptime->as_double();
    }
    report.config_path = string_of(*root, "config_path");
    report.config_sha256 = string_of(*root, "config_sha256");
    report.last_reload = read_reload(root->find("last_reload"));
    report.reloads_ok = uint_of(*root, "reloads_ok");
    report.reloads_failed = uint_of(*root, "reloads_failed");
    report.tap_events_dropped = uint_of(*root, "tap_events_dropped");
    for (const auto& item : components->items()) {
        report.components.push_back(read_component(item));
    }
    if (const auto* taps = root->find("taps"); taps && taps->is_array()) {
        for (const auto& item : taps->items()) {
            report.taps.push_back(
                {string_of(item, "component"), uint_of(item, "sent"), uint_of(item, "dropped")});
        }
    }
    return report;
}

std::string render_status_table(const StatusReport& report) {
    std::vector<Cells> rows;
    rows.push_back(
        {"NAME", "KIND", "TYPE", "STATE", "IN", "OUT", "DROPPED", "ERRORS", "QUEUE", "LAST EVENT"});
    for (const auto& row : report.components) {
        rows.push_back(cells_of(row));
    }
    std::string out = summary_lines(report) + "\n" + aligned(rows);
    bool any_error = false;
    for (const auto& row : report.components) {
        if (row.last_error.empty()) {
            continue;
        }
        out += any_error ? "" : "\nlast errors:\n";
        any_error = true;
        out += "  " + row.name + ": " + first_line(row.last_error) + "\n";
    }
    for (const auto& tap : report.taps) {
        out += "tap on " + tap.component + ": " + std::to_string(tap.sent) + " sent, " +
               std::to_string(tap.dropped) + " dropped\n";
    }
    return out;
}

} // namespace sluice
