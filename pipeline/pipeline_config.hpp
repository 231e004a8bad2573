#pragma once
// The typed result of loading a configuration file: what config/ produces and the daemon builds.

#include "pipeline/config_node.hpp"
#include "pipeline/event.hpp"
#include "pipeline/options.hpp"

#include <string>
#include <vector>

namespace sluice {

/// One entry of a component's `inputs:` list: `name` or `name.output`.
struct InputRef {
    std::string component;
    std::string output; // empty: the component's default output
    Position position;
    std::string text() const { return output.empty() ? component : component + "." + output; }
};

/// One source, stage, sink or actuator as configured.
struct ComponentConfig {
    ComponentKind kind = ComponentKind::source;
    std::string name;
    std::string type;
    Position position; // of the component's name
    std::vector<InputRef> inputs;
    /// The component's whole mapping (type, inputs and options) with defaults filled in.
    ConfigNode options;
    /// canonical() of `options` as written, before defaults: equal texts mean an unchanged
    /// component across a reload.
    std::string fingerprint;
};

struct DaemonConfig {
    std::string status_socket = "sluice.sock";
    std::string log_level = "info";
    Nanos shutdown_timeout = 5'000'000'000;
};

struct PipelineConfig {
    std::string path;
    std::string sha256;
    DaemonConfig daemon;
    std::vector<ComponentConfig> components; // in file order: sources, stages, sinks, actuators
};

} // namespace sluice
