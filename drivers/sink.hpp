#pragma once
// The base of every sink and actuator: a bounded queue in front of the sink's own I/O.

#include "drivers/component.hpp"
#include "drivers/event_queue.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/task.hpp"
#include "pipeline/graph.hpp"
#include "pipeline/pipeline_config.hpp"

#include <memory>
#include <optional>

namespace sluice {

enum class WhenFull { block, drop_oldest, drop_newest };

/// A sink. The graph hands it events through accept() (SinkPort); run() writes them out in
/// batches. `buffer.max_events` bounds the queue: under `block` the sources that feed a full
/// sink pause (accepting() is false) and at most one batch more is queued; under drop_oldest /
/// drop_newest events are dropped and counted.
class Sink : public SinkPort {
public:
    Sink(const ComponentConfig& config, Scheduler& scheduler);

    void accept(std::span<Event> events) override;
    bool accepting() const override;

    /// Opens the sink and writes queued events until stop() and the queue is empty, then
    /// closes. Throws what the sink's I/O throws; the daemon logs it.
    Task<void> run();
    /// Finish: write what is queued, then let run() return.
    void stop();
    /// Give up: drop what is queued (counted) and end run() as soon as the current write
    /// returns; cancel_io() makes a write stuck on a slow peer return.
    void abort();
    /// Woken whenever this sink's queue shrinks, for sources waiting on backpressure.
    void set_capacity_notify(Notify* notify) { capacity_notify_ = notify; }

    ComponentStatus& status() { return status_; }
    /// Whether the sink's output has gone for good (its write threw OutputGone: stdout whose
    /// reader left). run() has then ended in state error, and whatever comes in is dropped and
    /// counted.
    bool gone() const { return gone_; }

protected:
    virtual Task<void> open() { co_return; }
    /// Writes a batch. Throwing loses the batch (counted as errors by run()).
    virtual Task<void> write(std::span<const Event> events) = 0;
    virtual Task<void> close() { co_return; }
    /// Makes a pending write() end (with Cancelled); called by abort().
    virtual void cancel_io() {}
    /// Events taken from the queue and held back past their write (an actuator's command
    /// waiting for min_interval); they count in queue_depth.
    virtual std::size_t held() const { return 0; }
    void update_depth() { status_.queue_depth = queue_.size() + in_flight_ + held(); }

    ComponentStatus status_;

private:
    /// The output has gone: logs `why` once, drops what is queued (counted).
    void give_up(const std::string& why);

    EventQueue queue_;
    std::size_t max_events_;
    WhenFull when_full_;
    std::size_t in_flight_ = 0;
    bool stopping_ = false;
    bool aborted_ = false;
    bool gone_ = false;
    RateLimitedLog write_log_; // failed writes can repeat per batch
    Notify wake_;
    Notify* capacity_notify_ = nullptr;
};

} // namespace sluice
