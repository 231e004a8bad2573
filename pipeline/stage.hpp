#pragma once
// The interface every stage implements. Stages are pure: no I/O, time comes in as `now`.

#include "pipeline/event.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// Where a stage puts its output: one batch per output port. Port 0 is the default output;
/// stages with named outputs (route) number them from 0 in the order of output_names().
class Emitter {
public:
    explicit Emitter(std::vector<EventBatch>& ports) : ports_(ports) {}
    void emit(Event&& event, std::uint32_t port = 0) { ports_[port].push_back(std::move(event)); }
    void emit(const Event& event, std::uint32_t port = 0) { ports_[port].push_back(event); }
    /// A new, empty event emitted on `port`, for the stage to fill where it lies instead of
    /// building it aside and moving it in. retract() takes it back if it is not wanted after
    /// all. The reference is valid until the next emit on that port.
    Event& emit_new(std::uint32_t port = 0) { return ports_[port].emplace_back(); }
    void retract(std::uint32_t port = 0) { ports_[port].pop_back(); }
    /// Emits on `port` a copy of an event the stage also emits on another port (route's
    /// fan-out). The copy goes on like any event, but counts once with the original in the
    /// stage's events_out: a stage sends an event once however many outputs it goes to.
    void emit_copy(const Event& event, std::uint32_t port) {
        ports_[port].push_back(event);
        ++copies_;
    }
    /// How many emit_copy() calls this emitter has taken.
    std::uint64_t copies() const { return copies_; }

private:
    std::vector<EventBatch>& ports_;
    std::uint64_t copies_ = 0;
};

/// What a stage counts beyond what the graph counts for it (events in and out).
struct StageCounters {
    std::uint64_t dropped = 0; // events the stage consumed without passing on (filtered, throttled)
    std::uint64_t errors = 0;  // events dropped because evaluating them failed
    std::uint64_t evictions = 0; // per-key states evicted at max_keys
    std::string last_error;
};

class Stage {
public:
    virtual ~Stage() = default;

    /// Handles a batch that arrived on any of the stage's inputs. The stage may move events
    /// out of `batch`. `now` is the pipeline clock (ns since the epoch). Must not throw: bad
    /// data is counted in counters() and dropped.
    virtual void process(std::span<Event> batch, Emitter& out, Nanos now) = 0;

    /// The earliest time at which on_timer() has work to do, or kNever.
    virtual Nanos next_deadline() const { return kNever; }
    /// Runs the time-driven work due at `now` (debounce, window close, stale, rule `for`).
    virtual void on_timer(Nanos /*now*/, Emitter& /*out*/) {}
    /// No more input will come (every source has ended, or the daemon is stopping): emits what
    /// the stage holds that is owed downstream (open windows, debounced events) now instead of
    /// dropping it. Waits that owe nothing yet (a rule's `for`, a stale timeout) are left as
    /// they are; nothing runs the stage's timers afterwards. Must not throw, like process().
    virtual void flush(Nanos /*now*/, Emitter& /*out*/) {}

    /// The stage's named outputs (route: one per route, then "_unmatched"). Empty for stages
    /// with only the default output.
    virtual std::vector<std::string> output_names() const { return {}; }
    /// Number of output ports: max(1, output_names().size()).
    std::uint32_t port_count() const {
        auto n = static_cast<std::uint32_t>(output_names().size());
        return n ? n : 1;
    }

    /// Events the stage holds (debounce, open windows), for status queue_depth.
    virtual std::uint64_t buffered() const { return 0; }
    /// Number of keys with state, for status.
    virtual std::uint64_t key_count() const { return 0; }

    StageCounters& counters() { return counters_; }
    const StageCounters& counters() const { return counters_; }

protected:
    /// For a flush() that owes what the timers would emit: runs every pending timer now,
    /// deadline by deadline, as if the clock ran on to the last of them.
    void run_timers_to_end(Emitter& out) {
        for (auto next = next_deadline(); next != kNever; next = next_deadline()) {
            on_timer(next, out);
        }
    }

    StageCounters counters_;
};

/// A stage that keeps, drops or changes events one at a time (filter, map), with one output.
/// It works in the batch it is given: the events it keeps end up, in order, at the front, and
/// the graph passes that prefix on without moving each event into an output batch.
class InPlaceStage : public Stage {
public:
    /// Handles `batch` in place and returns how many events, now at its front, go on. Events
    /// past that count are left moved-from or dropped. Must not throw, like process().
    virtual std::size_t process_in_place(std::span<Event> batch, Nanos now) = 0;

    /// For callers without the in-place path (tests, tools): emits the kept prefix.
    void process(std::span<Event> batch, Emitter& out, Nanos now) final {
        auto kept = process_in_place(batch, now);
        for (auto& event : batch.first(kept)) {
            out.emit(std::move(event));
        }
    }

protected:
    /// Keeps the events for which `keep(event)` (which may change the event) is true, in order,
    /// at the front of `batch`; returns how many. An event that stays where it is is not moved.
    template <typename Keep>
    static std::size_t compact(std::span<Event> batch, Keep&& keep) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            if (keep(batch[i])) {
                if (kept != i) {
                    batch[kept] = std::move(batch[i]);
                }
                ++kept;
            }
        }
        return kept;
    }
};

} // namespace sluice
