#pragma once
// The interface of every source.

#include "drivers/component.hpp"
#include "drivers/runtime/scheduler.hpp"
#include "drivers/runtime/task.hpp"
#include "pipeline/pipeline_config.hpp"

namespace sluice {

/// Where a source delivers its events. The daemon implements it: it runs each batch through
/// the graph right away, and tells sources when their sinks have room again.
class SourceOutput {
public:
    virtual ~SourceOutput() = default;
    /// Runs `batch` through the pipeline; events may be moved out of it. Never throws.
    virtual void push(EventBatch& batch) = 0;
    /// Whether every sink this source feeds has room (`when_full: block` backpressure).
    virtual bool accepting() const = 0;
    /// Completes once accepting() may have become true; callers re-check in a loop.
    virtual Task<void> capacity_changed() = 0;
};

/// A source: reads from somewhere and pushes event batches. Built without I/O (so `check` can
/// build it); run() does the I/O.
class Source {
public:
    explicit Source(const ComponentConfig& config);
    virtual ~Source() = default;

    /// Reads until the input ends (returns) or stop() is called (returns or throws Cancelled).
    /// I/O errors it cannot recover from propagate as exceptions to the daemon, which logs
    /// them. `scheduler` and `output` outlive the returned task.
    virtual Task<void> run(Scheduler& scheduler, SourceOutput& output) = 0;
    /// Asks run() to finish soon: closes handles so that pending waits end with Cancelled.
    virtual void stop() = 0;

    /// False for sources that end by themselves (stdin, file without follow, generator with
    /// count); the daemon exits when every source has ended.
    ComponentStatus& status() { return status_; }

protected:
    /// Waits while the sinks fed by this source are full.
    static Task<void> wait_for_room(SourceOutput& output);

    ComponentStatus status_;
};

} // namespace sluice
