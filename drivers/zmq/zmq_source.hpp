#pragma once
// zmq source: events from a ZeroMQ SUB or PULL socket.

#include "drivers/runtime/timer.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"
#include "drivers/zmq/zmq_endpoints.hpp"
#include "drivers/zmq/zmq_socket.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sluice {

std::span<const OptionSpec> zmq_source_options();

/// Receives messages on a SUB (`topics:` filter, default everything) or PULL socket that binds
/// and/or connects its endpoints, and decodes each message's payload with the configured
/// framing (default datagram: one message, one frame) and decoder (default json).
///
/// A two-frame message is [topic, payload]; the topic goes into the `topic_field` of each
/// event decoded from the payload. A single-frame message is all payload; its topic is the text
/// before `topic_separator` when one is set (and then not part of the payload), else the
/// longest subscribed topic it matched. Messages of three or more frames are dropped and
/// counted as errors. ZMQ_MAXMSGSIZE is max_frame_bytes: libzmq drops a peer that sends a
/// bigger frame instead of allocating for it.
///
/// Drains up to a batch of messages per wake into one EventBatch. While the sinks it feeds are
/// full (`when_full: block`) it stops receiving, so libzmq's queues fill up to `hwm` and the
/// sending peers block in turn: backpressure reaches across the network.
class ZmqSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

    /// Messages received per batch at most, before the loop gets a turn.
    static constexpr std::size_t kMaxBatchMessages = 1024;

private:
    ZmqSource(const ComponentConfig& config, Diagnostics& diagnostics);
    void configure(ZmqSocket& socket) const;
    /// Receives one message into `batch`; false when none is waiting.
    bool receive_message(EventBatch& batch, Nanos now);
    void deliver(std::string_view payload, std::string_view topic, EventBatch& batch, Nanos now);
    std::string_view subscribed_prefix(std::string_view frame) const;
    void count_bad_message(std::string message);

    FrameDecoder decoder_;
    int type_ = 0;
    ZmqEndpoints endpoints_;
    std::vector<std::string> topics_;
    std::string topic_separator_;
    Symbol topic_field_ = 0;
    std::int64_t max_frame_bytes_ = 0;
    std::unique_ptr<Timer> timer_;
    std::unique_ptr<ZmqSocket> socket_;
    ZmqMessage frame_;
    std::string topic_;
    RateLimitedLog log_;
    bool stopping_ = false;
};

} // namespace sluice
