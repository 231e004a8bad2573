#include "drivers/source.hpp"

namespace sluice {

Source::Source(const ComponentConfig& config) {
    status_.name = config.name;
    status_.kind = ComponentKind::source;
    status_.type = config.type;
}

Task<void> Source::wait_for_room(SourceOutput& output) {
    while (!output.accepting()) {
        co_await output.capacity_changed();
    }
}

} // namespace sluice
