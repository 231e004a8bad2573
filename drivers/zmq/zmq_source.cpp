#include "drivers/zmq/zmq_source.hpp"

#include "drivers/io/fd_stream.hpp"

namespace sluice {

namespace {

constexpr std::string_view kSocketTypes[] = {"sub", "pull"};

constexpr OptionSpec kOptions[] = {
    {"socket", OptionType::choice, "", "sub (with topics) or pull.", true, kSocketTypes},
    kZmqConnectOption,
    kZmqBindOption,
    {"topics", OptionType::string_list, "",
     "socket: sub: topic prefixes to subscribe to; unset: every message."},
    {"topic_field", OptionType::string, "topic",
     "The field that receives a message's topic; empty: none."},
    {"topic_separator", OptionType::string, "",
     "Single-frame messages: the topic is the text before this separator (e.g. \" \"), the "
     "payload the text after it; unset: the payload is the whole message."},
    {"hwm",
     OptionType::integer,
     "1000",
     "Receive high-water mark: messages libzmq queues per peer before the peer must wait.",
     false,
     {},
     1,
     10'000'000},
    kZmqReconnectOption,
    kZmqReconnectMaxOption,
};

} // namespace

std::span<const OptionSpec> zmq_source_options() {
    return kOptions;
}

ZmqSource::ZmqSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "datagram") {
    Options options(config.options, diagnostics);
    type_ = options.string("socket") == "pull" ? ZMQ_PULL : ZMQ_SUB;
    topics_ = options.strings("topics");
    topic_separator_ = options.string("topic_separator");
    if (auto field = options.string("topic_field", "topic"); !field.empty()) {
        topic_field_ = intern(field);
    }
    max_frame_bytes_ = static_cast<std::int64_t>(options.size("max_frame_bytes", 64 * 1024));
}

std::unique_ptr<Source> ZmqSource::make(const ComponentConfig& config, Diagnostics& diagnostics) {
    auto errors_before = diagnostics.error_count();
    std::unique_ptr<ZmqSource> source(new ZmqSource(config, diagnostics));
    auto endpoints = read_zmq_endpoints(config, diagnostics);
    if (endpoints) {
        source->endpoints_ = std::move(*endpoints);
    }
    Options options(config.options, diagnostics);
    if (source->type_ == ZMQ_PULL && options.has("topics")) {
        diagnostics.error(options.position("topics"),
                          "'topics' applies to socket: sub only, expected no topics on pull");
    }
    if (!source->decoder_.valid() || diagnostics.error_count() != errors_before) {
        return nullptr;
    }
    return source;
}

void ZmqSource::configure(ZmqSocket& socket) const {
    socket.set_int(ZMQ_RCVHWM, endpoints_.hwm, "ZMQ_RCVHWM");
    socket.set_int64(ZMQ_MAXMSGSIZE, max_frame_bytes_, "ZMQ_MAXMSGSIZE");
    // A receiving socket has nothing of ours to flush: close at once.
    socket.set_int(ZMQ_LINGER, 0, "ZMQ_LINGER");
    if (type_ == ZMQ_SUB) {
        if (topics_.empty()) {
            socket.set_bytes(ZMQ_SUBSCRIBE, "", "ZMQ_SUBSCRIBE");
        }
        for (const auto& topic : topics_) {
            socket.set_bytes(ZMQ_SUBSCRIBE, topic, "ZMQ_SUBSCRIBE");
        }
    }
}

Task<void> ZmqSource::run(Scheduler& scheduler, SourceOutput& output) {
    if (stopping_) {
        co_return;
    }
    timer_ = std::make_unique<Timer>(scheduler);
    socket_ = co_await open_zmq_socket(&scheduler, timer_.get(), &status_, endpoints_, type_,
                                       [this](ZmqSocket& socket) { configure(socket); });
    status_.state = ComponentState::running;
    EventBatch batch;
    while (!stopping_) {
        co_await wait_for_room(output);
        if (stopping_) {
            break;
        }
        // Returns at once while ZMQ_EVENTS has POLLIN, which is re-read here after every drain.
        co_await socket_->wait(ZMQ_POLLIN);
        batch.clear();
        auto now = wall_clock_now();
        std::size_t messages = 0;
        while (messages < kMaxBatchMessages && receive_message(batch, now)) {
            ++messages;
        }
        if (!batch.empty()) {
            status_.events_out += batch.size();
            status_.last_event = now;
            output.push(batch);
        }
        if (messages == kMaxBatchMessages) {
            // More is probably waiting: let the sinks and timers run before the next batch.
            co_await yield_to_loop(scheduler);
        }
    }
    status_.state = ComponentState::stopped;
    socket_->close(0);
    timer_->close();
}

void ZmqSource::stop() {
    stopping_ = true;
    status_.state = ComponentState::stopped;
    if (timer_) {
        timer_->close();
    }
    if (socket_) {
        socket_->close(0);
    }
}

bool ZmqSource::receive_message(EventBatch& batch, Nanos now) {
    if (!socket_->receive(frame_)) {
        return false;
    }
    if (!frame_.more()) {
        auto payload = frame_.view();
        std::string_view topic;
        if (!topic_separator_.empty()) {
            if (auto at = payload.find(topic_separator_); at != std::string_view::npos) {
                topic = payload.substr(0, at);
                payload.remove_prefix(at + topic_separator_.size());
            }
        } else {
            topic = subscribed_prefix(payload);
        }
        deliver(payload, topic, batch, now);
        return true;
    }
    topic_.assign(frame_.view());
    // libzmq hands over the parts of a multipart message together, so the rest is here.
    if (!socket_->receive(frame_)) {
        count_bad_message("multipart message cut short");
        return true;
    }
    if (!frame_.more()) {
        deliver(frame_.view(), topic_, batch, now);
        return true;
    }
    while (frame_.more() && socket_->receive(frame_)) {
    }
    count_bad_message("dropped a message of more than two frames, expected [topic, payload]");
    return true;
}

void ZmqSource::deliver(std::string_view payload, std::string_view topic, EventBatch& batch,
                        Nanos now) {
    auto first = batch.size();
    decoder_.feed(payload, batch, now, status_);
    if (topic_field_ != 0 && !topic.empty()) {
        for (auto i = first; i < batch.size(); ++i) {
            batch[i].set(topic_field_, Value::string(topic));
        }
    }
}

std::string_view ZmqSource::subscribed_prefix(std::string_view frame) const {
    std::string_view best;
    for (const auto& topic : topics_) {
        if (topic.size() > best.size() && frame.starts_with(topic)) {
            best = topic;
        }
    }
    return best;
}

void ZmqSource::count_bad_message(std::string message) {
    log_.write(LogLevel::warn, status_.name, message);
    status_.record_error(std::move(message));
}

} // namespace sluice
