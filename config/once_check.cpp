#include "config/once_check.hpp"

#include "config/suggest.hpp"

#include <unordered_map>

namespace sluice {

void check_uses_once(const std::vector<LoadedComponent>& components, const CheckContext& context) {
    // Actuators resolve to the sink specs, so one spec pointer counts both.
    std::unordered_map<const KindSpec*, const ComponentConfig*> first;
    for (const auto& loaded : components) {
        if (!loaded.spec || loaded.spec->uses_once.empty()) {
            continue;
        }
        const auto& config = loaded.config;
        auto [found, inserted] = first.emplace(loaded.spec, &config);
        if (inserted) {
            continue;
        }
        const auto& earlier = *found->second;
        const auto* type = config.options.find("type");
        // What to write instead: one source feeds any number of stages, and one sink takes
        // any number of inputs.
        std::string instead = config.kind == ComponentKind::source
                                  ? "let " + quote(earlier.name) + " feed every stage that needs it"
                                  : "list every input on " + quote(earlier.name);
        if (config.kind != earlier.kind) {
            instead = "one " + std::string(kind_name(earlier.kind)) + " or " +
                      std::string(kind_name(config.kind)) + ", not both";
        }
        context.diagnostics.error(type ? type->position() : config.position,
                                  describe(config.kind, config.name) + " is a second " +
                                      quote(config.type) +
                                      " component: " + describe(earlier.kind, earlier.name) +
                                      " at line " + std::to_string(earlier.position.line) +
                                      " already uses " + std::string(loaded.spec->uses_once) +
                                      ", expected one per pipeline (" + instead + ")");
    }
}

} // namespace sluice
