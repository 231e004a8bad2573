#pragma once
// Options declared as data: each component kind lists its keys once (key, type, default, doc) and
// validation, defaults, `check --print` and docs/config.md all come from that table.

#include "pipeline/config_node.hpp"
#include "pipeline/units.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class OptionType {
    string,     // any scalar
    integer,    // whole number, within [min, max]
    number,     // real number, within [min, max]
    boolean,    // true | false
    duration,   // 250ms, 5s, 2m, 1h
    rate,       // 10/s
    size,       // 64KiB
    choice,     // one of `choices`
    expression, // an expression (compiled by the component's factory)
    string_list,
    string_map, // mapping of names to scalars (e.g. map's `set:`, route's `routes:`)
    node,       // any structure; the component's factory checks it
};

/// The human name of a type, as used in "expected ..." messages and docs.
std::string_view option_type_name(OptionType type);

/// A check of an option's text beyond its type: a socket path's length, an octal mode. Returns
/// an empty string when `text` is fine, else the rest of the message that starts "invalid value
/// 'TEXT' for 'KEY'", such as ", expected octal permissions such as 0660". Pure; must not throw
/// except std::bad_alloc.
using ValueCheck = std::string (*)(std::string_view text);

struct OptionSpec {
    std::string_view key;
    OptionType type;
    /// The default as the YAML would write it; empty means no default.
    std::string_view default_value;
    std::string_view doc;
    bool required = false;
    std::span<const std::string_view> choices = {};
    double min = -1e300;
    double max = 1e300;
    /// Applied to the text of a scalar value (of each item of a list) that passed the type's own
    /// check; nullptr: none.
    ValueCheck check = nullptr;
    /// The key of another option of the same kind and type that this one may not exceed
    /// (`reconnect_min` and `reconnect_max`), its default counting when it is not given; empty:
    /// none.
    std::string_view at_most = {};
};

enum class ComponentKind { source, stage, sink, actuator };
std::string_view kind_name(ComponentKind kind);

class Stage;
struct ComponentConfig;
using StageFactory = std::unique_ptr<Stage> (*)(const ComponentConfig&, Diagnostics&);
/// Builds a source or sink from its configuration without I/O and discards it; returns whether
/// it could be built. Reports what only the factory checks to `diagnostics`.
using ComponentCheck = bool (*)(const ComponentConfig&, Diagnostics&);

/// One component type (`serial`, `deadband`, `file`...): its options and, for stages, its
/// factory. `kind` is source, stage or sink; actuators accept every sink type.
struct KindSpec {
    ComponentKind kind;
    std::string_view type;
    std::string_view summary;
    std::span<const OptionSpec> options;
    /// A further shared group of options the kind accepts (a source's framing and decoding,
    /// a sink's encoding), declared once where that group lives.
    std::span<const OptionSpec> shared_options = {};
    StageFactory make_stage = nullptr;
    /// Sources and sinks: the loader runs it for each component whose options are valid, so
    /// that what only the factory checks (one option against another, such as `header: true`
    /// without `columns`) is reported with every other error of the file. nullptr: none.
    ComponentCheck check = nullptr;
    /// Not empty for a type of which a pipeline may hold one component (sinks and actuators
    /// counted together): it uses something the process has once, named here ("standard
    /// input"), which two components would fight over.
    std::string_view uses_once = {};
};

/// Typed reads of a component's options. The config loader has already checked each value
/// against the kind's OptionSpec and filled in defaults, so a read that fails to parse here is
/// a bug in a spec, reported as an error at the value's position rather than a crash.
class Options {
public:
    Options(const ConfigNode& node, Diagnostics& diagnostics)
        : node_(node), diagnostics_(diagnostics) {}
    /// Options keeps a reference to its node: a temporary would be gone before the first read.
    Options(ConfigNode&& node, Diagnostics& diagnostics) = delete;

    const ConfigNode* node(std::string_view key) const { return node_.find(key); }
    bool has(std::string_view key) const;
    Position position(std::string_view key) const;

    std::string string(std::string_view key, std::string_view fallback = {}) const;
    /// string(), passed through `check` (an OptionSpec::check): the text when it passes, else
    /// nullopt after reporting it at the value the way the loader reports a failed check.
    std::optional<std::string> checked_string(std::string_view key, ValueCheck check,
                                              std::string_view fallback = {}) const;
    std::int64_t integer(std::string_view key, std::int64_t fallback = 0) const;
    double number(std::string_view key, double fallback = 0) const;
    bool boolean(std::string_view key, bool fallback = false) const;
    Nanos duration(std::string_view key, Nanos fallback = 0) const;
    std::optional<Nanos> optional_duration(std::string_view key) const;
    Rate rate(std::string_view key, Rate fallback = {}) const;
    std::uint64_t size(std::string_view key, std::uint64_t fallback = 0) const;
    std::vector<std::string> strings(std::string_view key) const;

    Diagnostics& diagnostics() const { return diagnostics_; }

private:
    const ConfigNode* scalar(std::string_view key) const;
    void bad(std::string_view key, std::string_view expected) const;

    const ConfigNode& node_;
    Diagnostics& diagnostics_;
};

/// Parses `text` as a bool the way YAML 1.2 core schema does (true/false, any case).
std::optional<bool> parse_bool(std::string_view text);
std::optional<std::int64_t> parse_integer(std::string_view text);
std::optional<double> parse_number(std::string_view text);

} // namespace sluice
