#include "drivers/sink.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"

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

/// reconnect_min and reconnect_max where the kind declares them (the loader has checked them),
/// else their defaults.
Backoff open_backoff(const ComponentConfig& config) {
    Diagnostics checked_by_the_loader;
    return reconnect_backoff(Options(config.options, checked_by_the_loader));
}
} // namespace

Sink::Sink(const ComponentConfig& config, Scheduler& scheduler)
    : max_events_(10000), when_full_(WhenFull::block), wake_(scheduler), loop_(scheduler),
      open_backoff_(open_backoff(config)) {
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
    wake_retry();
    wake_.notify();
}

void Sink::drop_queue(std::string_view why) {
    stopping_ = true;
    discard_queue(why);
    wake_retry();
    wake_.notify();
}

void Sink::abort(std::string_view why) {
    aborted_ = true;
    discard_queue(why);
    cancel_io();
    wake_retry();
    wake_.notify();
}

std::size_t Sink::discard_queue(std::string_view why) {
    auto count = queue_.size();
    if (count == 0) {
        return 0;
    }
    status_.events_dropped += count;
    queue_.clear();
    update_depth();
    if (capacity_notify_) {
        capacity_notify_->notify();
    }
    log_warn(status_.name, "abandoned " + std::to_string(count) +
                               " queued events (counted as dropped): " + std::string(why));
    return count;
}

void Sink::wake_retry() {
    if (retry_timer_ && !open_wanted()) {
        retry_timer_->close();
    }
}

Task<bool> Sink::open_with_retry() {
    bool failed_before = false;
    while (open_wanted()) {
        status_.state = ComponentState::connecting;
        std::string failure;
        try {
            co_await open();
        } catch (const Cancelled&) {
            if (open_wanted()) {
                throw;
            }
            break; // aborted while opening
        } catch (const std::exception& e) {
            failure = e.what();
        }
        if (failure.empty()) {
            retry_timer_.reset();
            open_backoff_.reset();
            // open() leaves `backoff` when it retries the device on its own (serial).
            if (status_.state == ComponentState::connecting) {
                status_.state = ComponentState::running;
            }
            if (failed_before) {
                log_info(status_.name, "state running: opened");
            }
            co_return true;
        }
        failed_before = true;
        status_.record_error("cannot open: " + failure);
        status_.state = ComponentState::backoff;
        auto delay = open_backoff_.next_ms();
        open_log_.write(LogLevel::warn, status_.name,
                        "state backoff: cannot open: " + failure + "; retrying in " +
                            std::to_string(delay) + "ms");
        if (!retry_timer_) {
            retry_timer_ = std::make_unique<Timer>(loop_);
        }
        try {
            co_await retry_timer_->sleep(delay);
        } catch (const Cancelled&) {
            retry_timer_.reset(); // closed by stop() or abort(): the loop condition decides
        }
    }
    retry_timer_.reset();
    co_return false;
}

Task<void> Sink::run() {
    if (!co_await open_with_retry()) {
        discard_queue("the sink was stopped before it could open");
        status_.state = ComponentState::stopped;
        if (aborted_) {
            throw Cancelled{};
        }
        co_return;
    }
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
            co_await write_reopening(batch);
            status_.events_out += batch.size();
        } catch (const OutputGone& e) {
            status_.events_dropped += batch.size();
            give_up(e.what());
            break;
        } catch (const std::exception& e) {
            status_.events_dropped += batch.size();
            if (aborted_) {
                log_warn(status_.name, "abandoned the " + std::to_string(batch.size()) +
                                           " events being written (counted as dropped)");
            } else {
                status_.record_error(e.what());
                write_log_.write(LogLevel::error, status_.name,
                                 std::string("write failed: ") + e.what());
            }
        }
        in_flight_ = 0;
        update_depth();
    }
    co_await close();
    status_.state = gone_ ? ComponentState::error : ComponentState::stopped;
}

Task<void> Sink::write_reopening(std::span<const Event> batch) {
    while (true) {
        try {
            co_await write(batch);
            co_return;
        } catch (const ReopenNeeded& e) {
            status_.record_error(e.what());
            write_log_.write(LogLevel::warn, status_.name,
                             std::string(e.what()) + "; keeping the " +
                                 std::to_string(batch.size()) +
                                 " events being written until it opens again");
        }
        // The batch stays in hand (it counts in queue_depth) while open() is retried.
        if (!co_await open_with_retry()) {
            throw Cancelled{}; // aborted: run() counts the batch as dropped
        }
    }
}

void Sink::give_up(const std::string& why) {
    gone_ = true;
    status_.record_error(why);
    in_flight_ = 0;
    update_depth();
    log_error(status_.name, why + ": dropping (and counting) its events from now on");
    // Also lets sources held back by this sink's full queue go on.
    discard_queue("the output has gone");
}

} // namespace sluice
