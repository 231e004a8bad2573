#pragma once
// The base of every sink that encodes events into bytes for a transport (file, socket,
// device), and the place where such a sink becomes an actuator.

#include "drivers/actuator.hpp"
#include "drivers/sink.hpp"
#include "pipeline/codec/encoder.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

/// Encodes each batch with the configured encoder (`encode:`, default json) and hands the bytes
/// to the transport: one write per batch, or one message per event for datagram transports.
/// Configured under `actuators:`, each event's command is rendered alone and goes through an
/// Actuator (on_change_only, min_interval, safe_state). Subclasses implement the transport.
class EncodedSink : public Sink, private CommandPort {
public:
    /// False when the encoder or the actuator options were bad (reported to diagnostics).
    bool valid() const { return valid_; }

protected:
    EncodedSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler);

    /// Opens the transport (or starts connecting). Throws IoError when the sink cannot work.
    virtual Task<void> open_transport() { co_return; }
    /// Writes all of `bytes` (valid until done), reconnecting as the transport needs; throws
    /// Cancelled after cancel_transport(). Any other exception loses the batch (counted).
    virtual Task<void> send(std::string_view bytes) = 0;
    /// A write that never waits (a safe state after an abort). Default: cannot.
    virtual bool send_now(std::string_view) { return false; }
    virtual Task<void> close_transport() { co_return; }
    /// Makes a pending send() end with Cancelled.
    virtual void cancel_transport() {}
    /// One send() per event (datagrams) instead of one per batch.
    virtual bool per_event() const { return false; }

    /// What each new stream (file, connection) starts with: the encoder's header, if any.
    const std::string& preamble() const { return preamble_; }
    /// A transport calls this after reopening a device that may have reset.
    void transport_reopened() {
        if (actuator_) {
            actuator_->forget_last_sent();
        }
    }

    Scheduler& scheduler_;

private:
    Task<void> open() final;
    Task<void> write(std::span<const Event> events) final;
    Task<void> close() final;
    void cancel_io() final;

    Task<void> send_command(std::string_view command) override { return send(command); }
    bool send_command_now(std::string_view command) override { return send_now(command); }
    bool per_command() const override { return per_event(); }
    void waiting_changed() override { update_depth(); }
    std::size_t held() const override { return actuator_ ? actuator_->waiting() : 0; }
    Task<void> write_actuator(std::span<const Event> events);
    Task<void> write_per_event(std::span<const Event> events);
    void count_skipped();

    std::unique_ptr<Encoder> encoder_;
    std::string preamble_;
    std::string buffer_;
    std::vector<std::uint32_t> ends_;
    std::uint64_t skipped_seen_ = 0;
    std::unique_ptr<Actuator> actuator_;
    bool valid_ = false;
};

} // namespace sluice
