#include "drivers/actuator.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"

namespace sluice {

namespace {

void log_helper_failure(const std::string& name, std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {
        log_error(name, e.what());
    }
}

std::uint64_t to_ms(Nanos ns) {
    return ns <= 0 ? 0 : static_cast<std::uint64_t>(ns / 1'000'000);
}

} // namespace

std::optional<ActuatorSettings> actuator_settings(const ComponentConfig& config,
                                                  Diagnostics& diagnostics) {
    if (config.kind != ComponentKind::actuator) {
        return std::nullopt;
    }
    Options options(config.options, diagnostics);
    ActuatorSettings settings;
    settings.on_change_only = options.boolean("on_change_only", false);
    settings.min_interval_ms = to_ms(options.duration("min_interval", 0));
    if (options.has("safe_state")) {
        settings.safe_state = options.string("safe_state");
        if (settings.safe_state->empty()) {
            settings.safe_state.reset();
        }
    }
    settings.stale_after_ms = to_ms(options.duration("stale_after", 0));
    if (settings.stale_after_ms > 0 && !settings.safe_state) {
        diagnostics.error(options.position("stale_after"),
                          "stale_after needs safe_state, expected the command to write when the "
                          "inputs go stale");
    }
    return settings;
}

Actuator::Actuator(ActuatorSettings settings, Scheduler& scheduler, ComponentStatus& status,
                   CommandPort& port)
    : settings_(std::move(settings)), scheduler_(scheduler), status_(status), port_(port),
      mutex_(scheduler), helpers_(scheduler, log_helper_failure), pending_timer_(scheduler),
      stale_timer_(scheduler), pending_wake_(scheduler), stale_wake_(scheduler) {}

Actuator::~Actuator() {
    pending_timer_.close();
    stale_timer_.close();
}

void Actuator::start() {
    if (started_) {
        return;
    }
    started_ = true;
    last_input_ms_ = scheduler_.now_ms();
    if (settings_.min_interval_ms > 0) {
        helpers_.spawn(send_pending_loop(), status_.name + " min_interval");
    }
    if (settings_.stale_after_ms > 0 && settings_.safe_state) {
        helpers_.spawn(stale_loop(), status_.name + " stale_after");
    }
}

void Actuator::replace_pending(std::string_view command) {
    if (has_pending_) {
        ++status_.events_dropped; // a newer command replaces one that was never written
    }
    pending_.assign(command);
    set_pending(true);
}

void Actuator::set_pending(bool pending) {
    if (has_pending_ != pending) {
        has_pending_ = pending;
        port_.waiting_changed();
    }
}

Task<void> Actuator::deliver(std::string_view text, std::span<const std::uint32_t> ends) {
    last_input_ms_ = scheduler_.now_ms();
    safe_applied_ = false;
    stale_wake_.notify();
    auto tally = settings_.min_interval_ms == 0 ? co_await write_changes(text, ends)
                                                : hold_latest(text, ends);
    // Sink::run() adds the whole batch to events_out once this returns.
    status_.events_out -= ends.size() - tally.sent;
    status_.events_dropped += tally.dropped;
}

Task<Actuator::Tally> Actuator::write_changes(std::string_view text,
                                              std::span<const std::uint32_t> ends) {
    Tally tally;
    // Every change goes out, in order, in one write (or one send each, where the port needs).
    out_.clear();
    starts_.clear();
    std::string_view last = has_last_ ? std::string_view(last_sent_) : std::string_view();
    bool have_last = has_last_;
    std::uint32_t begin = 0;
    std::uint32_t last_begin = 0;
    for (auto end : ends) {
        auto command = text.substr(begin, end - begin);
        begin = end;
        if (command.empty() || (settings_.on_change_only && have_last && command == last)) {
            ++tally.dropped;
            continue;
        }
        last_begin = static_cast<std::uint32_t>(out_.size());
        starts_.push_back(last_begin);
        out_ += command;
        last = command;
        have_last = true;
        ++tally.sent;
    }
    if (out_.empty()) {
        co_return tally;
    }
    starts_.push_back(static_cast<std::uint32_t>(out_.size()));
    auto guard = co_await mutex_.lock();
    if (port_.per_command()) {
        for (std::size_t i = 0; i + 1 < starts_.size(); ++i) {
            co_await port_.send_command(
                std::string_view(out_).substr(starts_[i], starts_[i + 1] - starts_[i]));
        }
    } else {
        co_await port_.send_command(out_);
    }
    status_.bytes_out += out_.size();
    last_sent_.assign(out_, last_begin);
    has_last_ = true;
    any_sent_ = true;
    last_send_ms_ = scheduler_.now_ms();
    co_return tally;
}

Actuator::Tally Actuator::hold_latest(std::string_view text, std::span<const std::uint32_t> ends) {
    Tally tally;
    std::uint32_t begin = 0;
    for (auto end : ends) {
        auto command = text.substr(begin, end - begin);
        begin = end;
        if (command.empty()) {
            ++tally.dropped;
            continue;
        }
        if (settings_.on_change_only) {
            if (has_pending_ && command == pending_) {
                ++tally.dropped;
                continue;
            }
            if (has_last_ && command == last_sent_) {
                // The device already is where this command would put it.
                if (has_pending_) {
                    ++status_.events_dropped;
                    set_pending(false);
                }
                ++tally.dropped;
                continue;
            }
        }
        replace_pending(command);
    }
    pending_wake_.notify();
    return tally;
}

Task<void> Actuator::send_pending_loop() {
    while (true) {
        while (!has_pending_ && !stopping_) {
            co_await pending_wake_.wait();
        }
        if (stopping_) {
            co_return;
        }
        auto now = scheduler_.now_ms();
        auto due = last_send_ms_ + settings_.min_interval_ms;
        if (any_sent_ && now < due) {
            co_await pending_timer_.sleep(due - now);
            continue; // the command may have been replaced or dropped meanwhile
        }
        auto guard = co_await mutex_.lock();
        if (!has_pending_ || stopping_) {
            continue;
        }
        if (settings_.on_change_only && has_last_ && pending_ == last_sent_) {
            // The command was taken while another was still being written (a device that was
            // away or slow), and that one turned out to be the same: the device is there now.
            ++status_.events_dropped;
            set_pending(false);
            continue;
        }
        std::string command = std::move(pending_);
        sending_ = 1; // still counted in waiting() until it is written
        set_pending(false);
        try {
            co_await port_.send_command(command);
        } catch (...) {
            sending_ = 0;
            ++status_.events_dropped;
            port_.waiting_changed();
            throw;
        }
        sending_ = 0;
        ++status_.events_out;
        port_.waiting_changed();
        status_.bytes_out += command.size();
        last_sent_ = std::move(command);
        has_last_ = true;
        any_sent_ = true;
        last_send_ms_ = scheduler_.now_ms();
    }
}

Task<void> Actuator::stale_loop() {
    while (!stopping_) {
        if (safe_applied_) {
            co_await stale_wake_.wait();
            continue;
        }
        auto elapsed = scheduler_.now_ms() - last_input_ms_;
        if (elapsed < settings_.stale_after_ms) {
            co_await stale_timer_.sleep(settings_.stale_after_ms - elapsed);
            continue;
        }
        co_await write_safe_state("inputs stale");
        safe_applied_ = true;
    }
}

Task<void> Actuator::write_safe_state(const char* why) {
    if (has_pending_) {
        ++status_.events_dropped;
        set_pending(false);
    }
    auto guard = co_await mutex_.lock();
    co_await port_.send_command(*settings_.safe_state);
    status_.bytes_out += settings_.safe_state->size();
    last_sent_ = *settings_.safe_state;
    has_last_ = true;
    any_sent_ = true;
    last_send_ms_ = scheduler_.now_ms();
    log_info(status_.name, std::string(why) + ": wrote safe_state");
}

Task<void> Actuator::finish() {
    stopping_ = true;
    pending_timer_.close();
    stale_timer_.close();
    pending_wake_.notify();
    stale_wake_.notify();
    co_await helpers_.join();
    if (has_pending_) {
        ++status_.events_dropped;
        set_pending(false);
    }
    if (!settings_.safe_state) {
        co_return;
    }
    if (!cancelled_) {
        try {
            co_await write_safe_state("shutdown");
            co_return;
        } catch (const std::exception& e) {
            status_.record_error(std::string("safe_state not written: ") + e.what());
        }
    }
    if (port_.send_command_now(*settings_.safe_state)) {
        status_.bytes_out += settings_.safe_state->size();
        log_info(status_.name, "shutdown: wrote safe_state");
    } else {
        log_error(status_.name, "shutdown: could not write safe_state");
    }
}

void Actuator::cancel() {
    cancelled_ = true;
    stopping_ = true;
    pending_timer_.close();
    stale_timer_.close();
    pending_wake_.notify();
    stale_wake_.notify();
}

} // namespace sluice
