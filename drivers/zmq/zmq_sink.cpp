#include "drivers/zmq/zmq_sink.hpp"

#include "drivers/runtime/errors.hpp"
#include "pipeline/codec/codecs.hpp"

#include <charconv>

namespace sluice {

namespace {

constexpr std::string_view kSocketTypes[] = {"pub", "push"};

constexpr OptionSpec kOptions[] = {
    {"socket", OptionType::choice, "", "pub or push.", true, kSocketTypes},
    kZmqConnectOption,
    kZmqBindOption,
    {"topic", OptionType::string, "",
     "Topic frame sent before each payload, as a template ({field} placeholders, like "
     "encode: template); unset: single-frame messages."},
    {"topic_field", OptionType::string, "",
     "A field whose value is the topic; events without it use `topic`."},
    {"hwm",
     OptionType::integer,
     "1000",
     "Send high-water mark: messages libzmq queues per peer before a send must wait.",
     false,
     {},
     1,
     10'000'000},
    {"linger",
     OptionType::duration,
     "1s",
     "How long libzmq may still flush queued messages after the socket closes at shutdown.",
     false,
     {},
     0,
     3600},
    kZmqReconnectOption,
    kZmqReconnectMaxOption,
};

bool has_placeholder(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            if (i + 1 < text.size() && text[i + 1] == '{') {
                ++i;
                continue;
            }
            return true;
        }
    }
    return false;
}

/// Appends a field value as topic text; false for null (no topic in the field).
bool append_value(Value value, std::string& out) {
    char digits[32];
    std::to_chars_result end{};
    switch (value.type()) {
    case ValueType::null:
        return false;
    case ValueType::string:
        out.append(value.as_string());
        return true;
    case ValueType::boolean:
        out.append(value.as_bool() ? "true" : "false");
        return true;
    case ValueType::integer:
        end = std::to_chars(digits, digits + sizeof digits, value.as_int());
        break;
    case ValueType::number:
        end = std::to_chars(digits, digits + sizeof digits, value.as_double());
        break;
    }
    out.append(digits, end.ptr);
    return true;
}

} // namespace

std::span<const OptionSpec> zmq_sink_options() {
    return kOptions;
}

ZmqSink::ZmqSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler)
    : Sink(config, scheduler), scheduler_(scheduler) {
    auto errors_before = diagnostics.error_count();
    Options options(config.options, diagnostics);
    bool push = options.string("socket") == "push";
    type_ = push ? ZMQ_PUSH : ZMQ_PUB;
    room_mask_ = push ? ZMQ_POLLOUT : 0;
    linger_ms_ = zmq_milliseconds(options.duration("linger", 1'000'000'000));
    auto encoding = options.string("encode", "json");
    strip_newline_ = encoding != "template";
    encoder_ = make_encoder(encoding, options);
    auto endpoints = read_zmq_endpoints(config, diagnostics);
    if (endpoints) {
        endpoints_ = std::move(*endpoints);
    }
    bool topic_ok = read_topic(config, diagnostics);
    if (auto settings = actuator_settings(config, diagnostics)) {
        CommandPort& port = *this;
        actuator_ = std::make_unique<Actuator>(std::move(*settings), scheduler, status_, port);
    }
    valid_ = encoder_ && endpoints && topic_ok && diagnostics.error_count() == errors_before;
}

bool ZmqSink::read_topic(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options options(config.options, diagnostics);
    if (auto field = options.string("topic_field"); !field.empty()) {
        topic_field_ = intern(field);
    }
    auto text = options.string("topic");
    if (!text.empty()) {
        std::string error;
        topic_template_ = CompiledTemplate::compile(text, error);
        if (!topic_template_) {
            diagnostics.error(options.position("topic"),
                              "invalid topic template: " + error +
                                  ", expected text with {field} placeholders");
            return false;
        }
    }
    if (config.kind != ComponentKind::actuator) {
        return true;
    }
    // An actuator's commands are rendered without their events, so its topic cannot vary.
    if (topic_field_ != 0 || has_placeholder(text)) {
        auto key = topic_field_ != 0 ? "topic_field" : "topic";
        diagnostics.error(options.position(key),
                          "an actuator's topic must be constant, expected a topic without "
                          "{field} placeholders and no topic_field");
        return false;
    }
    if (topic_template_) {
        topic_template_->render(Event{}, constant_topic_);
    }
    return true;
}

std::unique_ptr<Sink> ZmqSink::make(const ComponentConfig& config, Diagnostics& diagnostics,
                                    Scheduler& scheduler) {
    std::unique_ptr<ZmqSink> sink(new ZmqSink(config, diagnostics, scheduler));
    return sink->valid_ ? std::move(sink) : nullptr;
}

void ZmqSink::configure(ZmqSocket& socket) const {
    socket.set_int(ZMQ_SNDHWM, endpoints_.hwm, "ZMQ_SNDHWM");
    socket.set_int(ZMQ_LINGER, linger_ms_, "ZMQ_LINGER");
    if (type_ == ZMQ_PUB) {
        // A full subscriber refuses the send (EAGAIN) instead of libzmq dropping it unseen.
        socket.set_int(ZMQ_XPUB_NODROP, 1, "ZMQ_XPUB_NODROP");
    }
}

Task<void> ZmqSink::open() {
    timer_ = std::make_unique<Timer>(scheduler_);
    socket_ = co_await open_zmq_socket(&scheduler_, timer_.get(), &status_, endpoints_, type_,
                                       [this](ZmqSocket& socket) { configure(socket); });
    if (actuator_) {
        actuator_->start();
    }
}

void ZmqSink::encode(const Event& event, std::string& out) {
    auto before = out.size();
    encoder_->encode(event, out);
    if (strip_newline_ && out.size() > before && out.back() == '\n') {
        out.pop_back();
    }
}

std::string_view ZmqSink::render_topic(const Event& event) {
    topic_.clear();
    if (topic_field_ != 0 && append_value(event.get(topic_field_), topic_)) {
        return topic_;
    }
    if (topic_template_) {
        topic_template_->render(event, topic_);
    }
    return topic_;
}

Task<void> ZmqSink::write(std::span<const Event> events) {
    if (actuator_) {
        co_await write_actuator(events);
        co_return;
    }
    bool with_topic = topic_field_ != 0 || topic_template_;
    std::uint64_t sent = 0;
    std::uint64_t skipped = 0;
    try {
        for (const auto& event : events) {
            auto skipped_before = encoder_->skipped();
            payload_.clear();
            encode(event, payload_);
            if (encoder_->skipped() != skipped_before) {
                ++skipped;
                continue;
            }
            if (with_topic) {
                auto topic = render_topic(event);
                while (!socket_->send(topic, true)) {
                    ++blocked_sends_;
                    co_await socket_->wait(room_mask_);
                }
            }
            while (!socket_->send(payload_, false)) {
                ++blocked_sends_;
                co_await socket_->wait(room_mask_);
            }
            status_.bytes_out += payload_.size();
            ++sent;
        }
    } catch (const Cancelled&) {
        // Sink::run() counts the whole batch as dropped, but these events did go out.
        status_.events_out += sent;
        status_.events_dropped -= sent;
        throw;
    }
    // Events the encoder could not carry were not sent, though Sink::run() counts them so.
    status_.events_out -= skipped;
    status_.events_dropped += skipped;
}

Task<void> ZmqSink::write_actuator(std::span<const Event> events) {
    // One command per deliver(): the actuator joins the commands of one call into one write,
    // and here every command must stay a message of its own.
    for (const auto& event : events) {
        payload_.clear();
        encode(event, payload_);
        std::uint32_t end = static_cast<std::uint32_t>(payload_.size());
        co_await actuator_->deliver(payload_, std::span<const std::uint32_t>(&end, 1));
    }
}

Task<void> ZmqSink::send_command(std::string_view command) {
    if (!socket_) {
        throw Cancelled{};
    }
    if (topic_template_) {
        while (!socket_->send(constant_topic_, true)) {
            ++blocked_sends_;
            co_await socket_->wait(room_mask_);
        }
    }
    while (!socket_->send(command, false)) {
        ++blocked_sends_;
        co_await socket_->wait(room_mask_);
    }
}

bool ZmqSink::send_command_now(std::string_view command) {
    if (!socket_) {
        return false;
    }
    try {
        // Once the first frame is accepted libzmq takes the rest of the message too.
        if (topic_template_ && !socket_->send(constant_topic_, true)) {
            return false;
        }
        return socket_->send(command, false);
    } catch (const std::exception&) {
        return false;
    }
}

Task<void> ZmqSink::close() {
    if (actuator_) {
        co_await actuator_->finish();
    }
    if (timer_) {
        timer_->close();
    }
    if (socket_) {
        // After an abort only an actuator's safe state is still worth flushing.
        socket_->close(aborted_ && !actuator_ ? 0 : linger_ms_);
        socket_.reset();
    }
}

void ZmqSink::cancel_io() {
    aborted_ = true;
    if (actuator_) {
        actuator_->cancel();
    }
    if (timer_) {
        timer_->close();
    }
    if (socket_) {
        socket_->cancel_waits();
    }
}

} // namespace sluice
