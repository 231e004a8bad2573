#include "drivers/sinks/null.hpp"

namespace sluice {

std::unique_ptr<Sink> NullSink::make(const ComponentConfig& config, Diagnostics&,
                                     Scheduler& scheduler) {
    return std::unique_ptr<Sink>(new NullSink(config, scheduler));
}

} // namespace sluice
