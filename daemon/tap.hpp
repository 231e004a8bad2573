#pragma once
// `tap`: a copy of the events leaving one component, streamed to a status socket client.

#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/stream.hpp"
#include "drivers/runtime/task.hpp"
#include "pipeline/codec/json_encoder.hpp"
#include "pipeline/graph.hpp"

#include <cstdint>
#include <string>

namespace sluice {

/// An observer the pipeline re-attaches, by component name, to the new graph after a reload.
class TapObserver : public Observer {
public:
    virtual const std::string& component() const = 0;
    /// The component is no longer in the pipeline (a reload removed it).
    virtual void component_gone() = 0;
};

/// Encodes the events it observes as JSON lines, with the event's time (`_ts`, ns since the
/// epoch) and source (`_source`) ahead of its fields, into a buffer of at most kMaxBuffered
/// bytes; pump() writes that buffer to the client. A client that reads too slowly loses the
/// events that do not fit (counted in dropped()), so a tap never slows the pipeline down nor
/// grows memory. Ends after `limit` events (0: no limit), when the component goes away, or
/// when finish() is called.
class TapSession final : public TapObserver {
public:
    static constexpr std::size_t kMaxBuffered = 256 * 1024;

    TapSession(Scheduler& scheduler, std::string component, std::uint64_t limit);

    void observe(std::span<const Event> events) override;
    const std::string& component() const override { return component_; }
    void component_gone() override { finish(); }
    /// Ends the tap: pump() writes what is buffered and returns.
    void finish();

    /// Writes buffered events to `stream` until the tap has ended and its buffer is written.
    /// While a write is in progress `*deadline_ms` holds the loop time by which it must have
    /// finished (the server closes clients that miss it), 0 otherwise. `stream` and
    /// `deadline_ms` must outlive the task. Throws what Stream::write throws.
    Task<void> pump(Stream* stream, std::uint64_t* deadline_ms, std::uint64_t timeout_ms);

    std::uint64_t sent() const { return queued_; }
    std::uint64_t dropped() const { return dropped_; }

private:
    void encode(const Event& event);

    Scheduler& scheduler_;
    std::string component_;
    std::uint64_t limit_;
    std::uint64_t queued_ = 0;
    std::uint64_t dropped_ = 0;
    bool finished_ = false;
    std::string pending_;
    std::string writing_;
    JsonEncoder encoder_;
    Notify wake_;
};

} // namespace sluice
