#include "pipeline/stages/deadband.hpp"

#include "pipeline/stages/stage_support.hpp"

#include <algorithm>
#include <cmath>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"field", OptionType::string, "", "The numeric field to watch.", true},
    {"delta",
     OptionType::number,
     "",
     "The least change that is forwarded (a change of exactly "
     "delta is).",
     true,
     {},
     0},
    {"max_interval", OptionType::duration, "",
     "Forward the next event anyway once this long has passed since the last forwarded one."},
};

class Deadband final : public Stage {
public:
    Deadband(KeyTable keys, Symbol field, double delta, Nanos max_interval)
        : keys_(std::move(keys)), field_(field), delta_(delta), max_interval_(max_interval) {}

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        for (auto& event : batch) {
            auto v = event.get(field_);
            if (v.is_null()) {
                // Events without the field are not part of the signal: they pass untouched.
                out.emit(std::move(event));
                continue;
            }
            if (!v.is_numeric() || std::isnan(v.to_double())) {
                note_error(counters_, "deadband field is not a number");
                continue;
            }
            if (passes(event, v.to_double(), now)) {
                out.emit(std::move(event));
            } else {
                ++counters_.dropped;
            }
        }
    }

    std::uint64_t key_count() const override { return keys_.size(); }

private:
    struct State {
        double last = 0;
        Nanos forwarded_at = 0;
    };

    bool passes(const Event& event, double x, Nanos now) {
        auto found = keys_.find_or_create(event);
        counters_.evictions += found.evicted ? 1 : 0;
        auto& s = slot_state(states_, found.slot);
        bool forward = found.created || moved_enough(x, s.last) ||
                       (max_interval_ > 0 && now - s.forwarded_at >= max_interval_);
        if (forward) {
            s.last = x;
            s.forwarded_at = now;
        }
        return forward;
    }

    bool moved_enough(double x, double last) const {
        // A relative tolerance of 1e-9 absorbs decimal rounding, so 20.1 -> 20.2 counts as a
        // change of 0.1 although the doubles differ by 0.09999999999999787.
        double scale = std::max({std::abs(x), std::abs(last), delta_});
        return std::abs(x - last) >= delta_ - 1e-9 * scale;
    }

    KeyTable keys_;
    Symbol field_;
    double delta_;
    Nanos max_interval_;
    std::vector<State> states_;
};

} // namespace

std::span<const OptionSpec> deadband_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_deadband(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    auto field = field_option(config, "field", diagnostics);
    if (!opts.has("delta")) {
        diagnostics.error(config.options.position(), "missing option 'delta'");
    }
    auto delta = opts.number("delta", 0);
    if (delta < 0) {
        diagnostics.error(opts.position("delta"),
                          "invalid value for 'delta', expected a number of at least 0");
    }
    auto max_interval = opts.duration("max_interval", 0);
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Deadband>(std::move(*keys), *field, delta, max_interval);
}

} // namespace sluice
