#pragma once
// Every source and sink type, registered explicitly in one list (static self-registration is
// dropped by the linker from static libraries).

#include "drivers/runtime/scheduler.hpp"
#include "drivers/sink.hpp"
#include "drivers/source.hpp"
#include "pipeline/options.hpp"

#include <memory>
#include <span>

namespace sluice {

struct SourceKind {
    KindSpec spec;
    std::unique_ptr<Source> (*make)(const ComponentConfig&, Diagnostics&);
};

struct SinkKind {
    KindSpec spec;
    std::unique_ptr<Sink> (*make)(const ComponentConfig&, Diagnostics&, Scheduler&);
};

std::span<const SourceKind> builtin_source_kinds();
std::span<const SinkKind> builtin_sink_kinds();

} // namespace sluice
