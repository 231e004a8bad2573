#pragma once
// One source, stage, sink or actuator: its type, its options checked against the kind's tables,
// defaults filled in, and its inputs parsed.

#include "config/kind_registry.hpp"
#include "config/option_check.hpp"
#include "pipeline/pipeline_config.hpp"

#include <string>

namespace sluice {

struct LoadedComponent {
    ComponentConfig config;
    /// The kind's spec, or nullptr when the type is missing or unknown.
    const KindSpec* spec = nullptr;
    /// The type is known and no error was found in the component's own configuration.
    bool valid = false;
    /// Set by build_components(): its factory built it without errors, and a stage's named
    /// outputs.
    bool built = false;
    std::vector<std::string> outputs;
};

/// Checks the component `name` of `kind` whose mapping is `node` (as it stands in the file,
/// with its key position). Reports every problem and returns what could be read; inputs are
/// parsed even when other options are wrong, so the graph checks see the intended wiring.
LoadedComponent load_component(ComponentKind kind, const std::string& name, const ConfigNode& node,
                               const KindRegistry& registry, const CheckContext& context);

/// "source 'gps'", the way messages name a component.
std::string describe(ComponentKind kind, std::string_view name);

} // namespace sluice
