#pragma once
// zmq sink and actuator: events to a ZeroMQ PUB or PUSH socket, one message per event.

#include "drivers/actuator.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/timer.hpp"
#include "drivers/sink.hpp"
#include "drivers/zmq/zmq_endpoints.hpp"
#include "drivers/zmq/zmq_socket.hpp"
#include "pipeline/codec/encoder.hpp"
#include "pipeline/codec/template_encoder.hpp"

#include <memory>
#include <optional>
#include <string>

namespace sluice {

std::span<const OptionSpec> zmq_sink_options();

/// Sends each event as one message on a PUB or PUSH socket: [topic, payload] when a topic is
/// configured (`topic_field`, else the `topic` template), else the payload alone. The payload
/// is the encoded event without the line terminator of json/csv/kv/influx (a message needs
/// none); template output is sent as rendered.
///
/// Sends never block the loop. When libzmq would block (PUSH at its high-water mark with every
/// peer; PUB, which runs with ZMQ_XPUB_NODROP, when a subscriber's queue is full) the write
/// waits on the loop, so the events stay in this sink's bounded queue and `buffer.when_full`
/// decides: `block` pauses the sources and loses nothing, drop_oldest / drop_newest drop and
/// count. A PUB message that no subscriber wants is not a loss: it has no recipient.
///
/// Shutdown: the queue drains for up to the daemon's shutdown_timeout, then the socket closes
/// with ZMQ_LINGER = `linger` so libzmq may still flush what it holds; after an abort (the
/// shutdown_timeout expired) it closes with linger 0. Under `actuators:` the usual actuator
/// options apply; the topic must then be constant.
class ZmqSink : public Sink, private CommandPort {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);

    /// Times a send found libzmq full and had to wait.
    std::uint64_t blocked_sends() const { return blocked_sends_; }

protected:
    Task<void> open() override;
    Task<void> write(std::span<const Event> events) override;
    Task<void> close() override;
    void cancel_io() override;

private:
    ZmqSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler);
    bool read_topic(const ComponentConfig& config, Diagnostics& diagnostics);
    void configure(ZmqSocket& socket) const;
    void encode(const Event& event, std::string& out);
    std::string_view render_topic(const Event& event);
    Task<void> write_actuator(std::span<const Event> events);
    Task<void> send_command(std::string_view command) override;
    bool send_command_now(std::string_view command) override;

    Scheduler& scheduler_;
    int type_ = 0;
    ZmqEndpoints endpoints_;
    int linger_ms_ = 1000;
    /// What wait() needs after a refused send: POLLOUT for PUSH; any wake for PUB, whose
    /// ZMQ_EVENTS always reports POLLOUT.
    int room_mask_ = 0;
    std::unique_ptr<Encoder> encoder_;
    bool strip_newline_ = true;
    std::optional<CompiledTemplate> topic_template_;
    Symbol topic_field_ = 0;
    std::string constant_topic_;
    std::unique_ptr<Actuator> actuator_;
    std::unique_ptr<Timer> timer_;
    std::unique_ptr<ZmqSocket> socket_;
    std::string payload_;
    std::string topic_;
    std::uint64_t blocked_sends_ = 0;
    bool aborted_ = false;
    bool valid_ = false;
};

} // namespace sluice
