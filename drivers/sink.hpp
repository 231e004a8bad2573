#pragma once
// The base of every sink and actuator: a bounded queue in front of the sink's own I/O.

#include "drivers/component.hpp"
#include "drivers/event_queue.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/task.hpp"
#include "drivers/runtime/timer.hpp"
#include "pipeline/graph.hpp"
#include "pipeline/pipeline_config.hpp"

#include <memory>
#include <optional>
#include <string_view>

namespace sluice {

enum class WhenFull { block, drop_oldest, drop_newest };

/// A sink. The graph hands it events through accept() (SinkPort); run() writes them out in
/// batches. `buffer.max_events` bounds the queue: under `block` the sources that feed a full
/// sink pause (accepting() is false) and at most one batch more is queued; under drop_oldest /
/// drop_newest events are dropped and counted.
///
/// A sink that cannot open (a file whose directory is missing or read-only, a socket path that
/// cannot be bound) is never given up on: run() retries open() with capped exponential backoff
/// (`reconnect_min`, `reconnect_max` where the kind declares them, else 100ms to 30s), in state
/// `backoff`, while its queue fills and `when_full` applies as for any slow sink. The same
/// holds when a write finds the output closed for good (ReopenNeeded: a file rotation that
/// could not start the new file), and the batch being written is written once it opens.
class Sink : public SinkPort {
public:
    Sink(const ComponentConfig& config, Scheduler& scheduler);

    void accept(std::span<Event> events) override;
    bool accepting() const override;

    /// Opens the sink (retrying with backoff while open() throws) and writes queued events until
    /// stop() and the queue is empty, then closes. A sink stopped before it could open ends
    /// without opening once its queue is empty or it is aborted; what it still held is counted
    /// as dropped and logged; aborted before it opened, run() throws Cancelled. Otherwise it
    /// throws what close() throws; the daemon logs it.
    Task<void> run();
    /// Finish: write what is queued, then let run() return.
    void stop();
    /// Stop waiting for the queue: drop what is queued (counted, logged with `why`) and let
    /// run() end once the write in progress returns. Unlike abort(), the sink still closes
    /// normally, so an actuator writes its safe state.
    void drop_queue(std::string_view why);
    /// Give up: drop what is queued (counted, logged with `why`) and end run() as soon as the
    /// current write returns; cancel_io() makes a write stuck on a slow peer return.
    void abort(std::string_view why = "aborted");
    /// Woken whenever this sink's queue shrinks, for sources waiting on backpressure.
    void set_capacity_notify(Notify* notify) { capacity_notify_ = notify; }

    ComponentStatus& status() { return status_; }
    /// Whether the sink's output has gone for good (its write threw OutputGone: stdout whose
    /// reader left). run() has then ended in state error, and whatever comes in is dropped and
    /// counted.
    bool gone() const { return gone_; }

protected:
    /// Opens the transport. Throwing makes run() retry it after a backoff delay (state
    /// `backoff`); an open() that retries on its own may instead return with the state left at
    /// `backoff`. run() sets `connecting` before each attempt and `running` after it.
    virtual Task<void> open() { co_return; }
    /// Writes a batch. Throwing ReopenNeeded keeps the batch: run() opens the sink again (as
    /// at start, with backoff) and writes it then. Throwing anything else loses the batch
    /// (counted as errors by run()).
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
    /// Calls open() until it succeeds; false when the sink was stopped with nothing left to
    /// write, or aborted, before it could open.
    Task<bool> open_with_retry();
    /// write(), reopening the sink and writing `batch` again for as long as write() throws
    /// ReopenNeeded. Throws Cancelled when aborted meanwhile, and what write() throws.
    Task<void> write_reopening(std::span<const Event> batch);
    /// Counts what is queued as dropped and logs it; returns how many.
    std::size_t discard_queue(std::string_view why);
    /// Ends a backoff sleep early when there is no longer a reason to open.
    void wake_retry();
    bool open_wanted() const {
        return !aborted_ && !(stopping_ && queue_.empty() && in_flight_ == 0);
    }
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
    Scheduler& loop_;
    Backoff open_backoff_;
    std::unique_ptr<Timer> retry_timer_; // exists only while open() is being retried
    RateLimitedLog open_log_{3, std::chrono::seconds(60)};
};

} // namespace sluice
