#include "pipeline/stages/throttle.hpp"

#include "pipeline/stages/stage_support.hpp"

#include <algorithm>
#include <cmath>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"rate", OptionType::rate, "", "Events allowed per interval per key, such as 10/s or 5/250ms.",
     true},
};

/// A token bucket per key, kept as one "theoretical arrival time" (the generic cell rate
/// algorithm): the bucket holds max(1, count) tokens, starts full and refills one token every
/// per/count. A burst of up to `count` events passes at once; over time the average stays at
/// the rate. One integer per key and no timers.
class Throttle final : public Stage {
public:
    Throttle(KeyTable keys, Nanos interval, Nanos tolerance)
        : keys_(std::move(keys)), interval_(interval), tolerance_(tolerance) {}

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        for (auto& event : batch) {
            auto found = keys_.find_or_create(event);
            counters_.evictions += found.evicted ? 1 : 0;
            auto& tat = slot_state(arrival_, found.slot);
            if (found.created) {
                tat = now;
            }
            auto start = std::max(tat, now);
            if (start - now > tolerance_) {
                ++counters_.dropped;
                continue;
            }
            tat = start + interval_;
            out.emit(std::move(event));
        }
    }

    std::uint64_t key_count() const override { return keys_.size(); }

private:
    KeyTable keys_;
    Nanos interval_;  // time one token takes to refill
    Nanos tolerance_; // how far ahead of now the arrival time may run: (tokens - 1) * interval
    std::vector<Nanos> arrival_; // per slot
};

} // namespace

std::span<const OptionSpec> throttle_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_throttle(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    if (!opts.has("rate")) {
        diagnostics.error(config.options.position(), "missing option 'rate'");
    }
    auto rate = opts.rate("rate", Rate{1, 1'000'000'000});
    if (rate.count <= 0 && diagnostics.error_count() == errors) {
        diagnostics.error(opts.position("rate"),
                          "invalid value for 'rate', expected more than 0 events per interval");
    }
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    auto per = static_cast<double>(rate.per);
    // Clamped so that absurd rates (1e-300/s, 1e300/s) stay well-defined.
    auto interval = std::max<Nanos>(1, std::llround(std::min(per / rate.count, 9e18)));
    auto tokens = std::max(1.0, rate.count);
    auto tolerance = std::llround(std::min((tokens - 1) * per / rate.count, 9e18));
    return std::make_unique<Throttle>(std::move(*keys), interval, tolerance);
}

} // namespace sluice
