#pragma once
// null sink: discards events (counts them), for benchmarks and for trying out pipelines.

#include "drivers/sink.hpp"

#include <memory>

namespace sluice {

/// Takes every event and writes nothing; counts them as sent.
class NullSink : public Sink {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);

protected:
    Task<void> write(std::span<const Event>) override { co_return; }

private:
    using Sink::Sink;
};

} // namespace sluice
