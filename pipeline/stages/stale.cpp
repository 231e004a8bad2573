#include "pipeline/stages/stale.hpp"

#include "pipeline/stages/deadline_heap.hpp"
#include "pipeline/stages/stage_support.hpp"

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"timeout", OptionType::duration, "", "How long a key may be silent before it is stale.", true},
};

/// Keys are learned from traffic: a key never seen is never reported. Input events are consumed;
/// the stage emits only its `stale: true` / `stale: false` reports.
class Stale final : public Stage {
public:
    Stale(KeyTable keys, Nanos timeout)
        : keys_(std::move(keys)), timeout_(timeout), stale_field_(intern("stale")) {}

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        if (deadlines_.next() <= now) {
            on_timer(now, out);
        }
        for (auto& event : batch) {
            auto found = keys_.find_or_create(event);
            counters_.evictions += found.evicted ? 1 : 0;
            auto& s = slot_state(states_, found.slot);
            if (found.created) {
                s.stale = false;
            } else if (s.stale) {
                s.stale = false;
                out.emit(report(found.slot, false, event.ts(), event.source()));
            }
            s.source = event.source();
            deadlines_.set(found.slot, deadline_after(now, timeout_));
        }
    }

    Nanos next_deadline() const override { return deadlines_.next(); }

    void on_timer(Nanos now, Emitter& out) override {
        while (deadlines_.next() <= now) {
            auto slot = deadlines_.top();
            auto due = deadlines_.next();
            deadlines_.remove(slot);
            states_[slot].stale = true;
            out.emit(report(slot, true, due, states_[slot].source));
        }
    }

    std::uint64_t key_count() const override { return keys_.size(); }

private:
    struct State {
        bool stale = false;
        Symbol source = 0;
    };

    Event report(std::uint32_t slot, bool stale, Nanos ts, Symbol source) const {
        Event e;
        e.set_ts(ts);
        e.set_source(source);
        keys_.copy_key(slot, e);
        e.set(stale_field_, Value::boolean(stale));
        return e;
    }

    KeyTable keys_;
    Nanos timeout_;
    Symbol stale_field_;
    DeadlineHeap deadlines_;
    std::vector<State> states_; // per slot
};

} // namespace

std::span<const OptionSpec> stale_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_stale(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    if (!opts.has("timeout")) {
        diagnostics.error(config.options.position(), "missing option 'timeout'");
    }
    auto timeout = opts.duration("timeout", 0);
    if (diagnostics.error_count() == errors && timeout <= 0) {
        diagnostics.error(opts.position("timeout"),
                          "invalid value for 'timeout', expected a duration above 0");
    }
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Stale>(std::move(*keys), timeout);
}

} // namespace sluice
