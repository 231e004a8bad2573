#include "daemon/registry.hpp"

#include "drivers/builtin.hpp"
#include "pipeline/stages/builtin_stages.hpp"

namespace sluice {

const KindRegistry& builtin_registry() {
    static const KindRegistry registry = [] {
        KindRegistry r;
        r.add(builtin_stage_kinds());
        for (const auto& kind : builtin_source_kinds()) {
            r.add(kind.spec);
        }
        for (const auto& kind : builtin_sink_kinds()) {
            r.add(kind.spec);
        }
        return r;
    }();
    return registry;
}

} // namespace sluice
