#include "pipeline/stages/threshold.hpp"

#include "pipeline/stages/deadline_heap.hpp"
#include "pipeline/stages/edge_machine.hpp"
#include "pipeline/stages/stage_support.hpp"

#include <cmath>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"field", OptionType::string, "", "The numeric field to watch.", true},
    {"above", OptionType::number, "", "Set the alarm when the value is above this limit."},
    {"below", OptionType::number, "", "Set the alarm when the value is below this limit."},
    {"hysteresis",
     OptionType::number,
     "0",
     "Clear only once the value is back past the limit by more than this.",
     false,
     {},
     0},
    {"for", OptionType::duration, "0s",
     "How long the limit must stay crossed before the alarm "
     "is set."},
};

/// The limit test of one threshold: with `above`, set when value > limit and clear when
/// value < limit - hysteresis; with `below`, the mirror image.
struct Limit {
    bool above;
    double limit;
    double hysteresis;
    bool sets(double x) const { return above ? x > limit : x < limit; }
    bool clears(double x) const { return above ? x < limit - hysteresis : x > limit + hysteresis; }
};

class Threshold final : public Stage {
public:
    Threshold(KeyTable keys, Symbol field, Limit limit, Nanos hold)
        : keys_(std::move(keys)), field_(field), limit_(limit), hold_(hold),
          alarm_(intern("alarm")), value_(intern("value")) {}

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        if (deadlines_.next() <= now) {
            on_timer(now, out);
        }
        for (auto& event : batch) {
            auto v = event.get(field_);
            if (v.is_null()) {
                continue; // events without the field say nothing about the limit
            }
            if (!v.is_numeric() || std::isnan(v.to_double())) {
                note_error(counters_, "threshold field is not a number");
                continue;
            }
            auto found = keys_.find_or_create(event);
            counters_.evictions += found.evicted ? 1 : 0;
            auto& s = slot_state(states_, found.slot);
            if (found.created) {
                s = State{};
            }
            auto x = v.to_double();
            auto edge = s.edge.active ? s.edge.observe(limit_.clears(x), now, 0)
                                      : s.edge.observe(limit_.sets(x), now, hold_);
            s.value = v;
            s.source = event.source();
            deadlines_.set(found.slot, s.edge.deadline);
            if (edge != Edge::none) {
                out.emit(alarm(found.slot, edge == Edge::set, event.ts()));
            }
        }
    }

    Nanos next_deadline() const override { return deadlines_.next(); }

    void on_timer(Nanos now, Emitter& out) override {
        while (deadlines_.next() <= now) {
            auto slot = deadlines_.top();
            auto due = deadlines_.next();
            deadlines_.remove(slot);
            auto edge = states_[slot].edge.due(now);
            if (edge != Edge::none) {
                out.emit(alarm(slot, edge == Edge::set, due));
            }
        }
    }

    std::uint64_t key_count() const override { return keys_.size(); }

private:
    struct State {
        EdgeState edge;
        Value value; // the latest value: what a timer-fired edge reports
        Symbol source = 0;
    };

    Event alarm(std::uint32_t slot, bool on, Nanos ts) const {
        Event e;
        e.set_ts(ts);
        e.set_source(states_[slot].source);
        keys_.copy_key(slot, e);
        e.set(alarm_, Value::boolean(on));
        e.set(value_, states_[slot].value);
        return e;
    }

    KeyTable keys_;
    Symbol field_;
    Limit limit_;
    Nanos hold_;
    Symbol alarm_;
    Symbol value_;
    DeadlineHeap deadlines_;
    std::vector<State> states_; // per slot
};

} // namespace

std::span<const OptionSpec> threshold_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_threshold(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    auto field = field_option(config, "field", diagnostics);
    bool above = opts.has("above");
    if (above == opts.has("below")) {
        diagnostics.error(above ? opts.position("below") : config.options.position(),
                          "threshold needs exactly one of 'above' and 'below'");
    }
    Limit limit{above, opts.number(above ? "above" : "below", 0), opts.number("hysteresis", 0)};
    if (limit.hysteresis < 0) {
        diagnostics.error(opts.position("hysteresis"),
                          "invalid value for 'hysteresis', expected a number of at least 0");
    }
    auto hold = opts.duration("for", 0);
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Threshold>(std::move(*keys), *field, limit, hold);
}

} // namespace sluice
