#include "drivers/sink.hpp"

#include "drivers/runtime/errors.hpp"

namespace sluice {

namespace {
// Events per write: large enough to amortise syscalls, small enough to keep latency low.
constexpr std::size_t kWriteBatch = 1024;

WhenFull parse_when_full(const std::string& text) {
    if (text == "drop_oldest") {
        return WhenFull::drop_oldest;
    }
    if (text == "drop_newest") {
        return WhenFull::drop_newest;
    }
    return WhenFull::block;
}
} // namespace

Sink::Sink(const ComponentConfig& config, Scheduler& scheduler)
    : max_events_(10000), when_full_(WhenFull::block), wake_(scheduler) {
    status_.name = config.name;
    status_.kind = config.kind;
    status_.type = config.type;
    if (const auto* buffer = config.options.find("buffer"); buffer && buffer->is_mapping()) {
        if (const auto* max = buffer->find("max_events")) {
            if (auto n = parse_integer(max->text()); n && *n > 0) {
                max_events_ = static_cast<std::size_t>(*n);
            }
        }
        if (const auto* policy = buffer->find("when_full")) {
            when_full_ = parse_when_full(policy->text());
        }
    }
}

void Sink::accept(std::span<Event> events) {
    status_.events_in += events.size();
    if (!events.empty()) {
        status_.last_event = wall_clock_now();
    }
    if (gone_) {
        status_.events_dropped += events.size();
        return;
    }
    for (auto& event : events) {
        if (queue_.size() >= max_events_) {
            if (when_full_ == WhenFull::drop_newest) {
                ++status_.events_dropped;
                continue;
            }
            if (when_full_ == WhenFull::drop_oldest) {
                queue_.pop_front();
                ++status_.events_dropped;
            }
            // block: the sources stop at the next batch; this one is still taken.
        }
        queue_.push_back(std::move(event));
    }
    update_depth();
    wake_.notify();
}

bool Sink::accepting() const {
    return when_full_ != WhenFull::block || queue_.size() < max_events_;
}

void Sink::stop() {
    stopping_ = true;
    wake_.notify();
}

void Sink::abort() {
    aborted_ = true;
    status_.events_dropped += queue_.size();
    queue_.clear();
    update_depth();
    cancel_io();
    wake_.notify();
}

Task<void> Sink::run() {
    co_await open();
    status_.state = ComponentState::running;
    while (true) {
        if (aborted_) {
            break;
        }
        if (queue_.empty()) {
            if (stopping_) {
                break;
            }
            co_await wake_.wait();
            continue;
        }
        auto batch = queue_.take(kWriteBatch);
        in_flight_ = batch.size();
        update_depth();
        if (capacity_notify_) {
            capacity_notify_->notify();
        }
        try {
            co_await write(batch);
            status_.events_out += batch.size();
        } catch (const OutputGone& e) {
            status_.events_dropped += batch.size();
            give_up(e.what());
            break;
        } catch (const std::exception& e) {
            status_.events_dropped += batch.size();
            status_.record_error(e.what());
            write_log_.write(LogLevel::error, status_.name,
                             std::string("write failed: ") + e.what());
        }
        in_flight_ = 0;
        update_depth();
    }
    co_await close();
    status_.state = gone_ ? ComponentState::error : ComponentState::stopped;
}

void Sink::give_up(const std::string& why) {
    gone_ = true;
    status_.record_error(why);
    status_.events_dropped += queue_.size();
    queue_.clear();
    in_flight_ = 0;
    update_depth();
    log_error(status_.name, why + ": dropping (and counting) its events from now on");
    // Sources held back by this sink's full queue may go on.
    if (capacity_notify_) {
        capacity_notify_->notify();
    }
}

} // namespace sluice
