#include "pipeline/stages/debounce.hpp"

#include "pipeline/stages/deadline_heap.hpp"
#include "pipeline/stages/stage_support.hpp"

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"for", OptionType::duration, "",
     "How long a key must be quiet before its last event is emitted.", true},
};

/// Each live key holds exactly one event; the key is forgotten once that event is emitted, so
/// memory follows the keys that are currently bouncing.
class Debounce final : public Stage {
public:
    Debounce(KeyTable keys, Nanos quiet) : keys_(std::move(keys)), quiet_(quiet) {}

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        if (deadlines_.next() <= now) {
            on_timer(now, out);
        }
        for (auto& event : batch) {
            auto found = keys_.find_or_create(event);
            auto& held = slot_state(held_, found.slot);
            if (found.evicted) {
                // Emitting early beats losing the event: the evicted key is the one that has
                // been quiet the longest, so its event was closest to due anyway.
                ++counters_.evictions;
                out.emit(std::move(held));
                --buffered_;
            }
            if (found.created) {
                ++buffered_;
            } else {
                ++counters_.dropped; // superseded by a later event of the same key
            }
            held = std::move(event);
            deadlines_.set(found.slot, deadline_after(now, quiet_));
        }
    }

    Nanos next_deadline() const override { return deadlines_.next(); }

    void on_timer(Nanos now, Emitter& out) override {
        while (deadlines_.next() <= now) {
            auto slot = deadlines_.top();
            deadlines_.remove(slot);
            out.emit(std::move(held_[slot]));
            held_[slot].clear();
            keys_.erase(slot);
            --buffered_;
        }
    }

    /// A key with no more input to come is as quiet as it will ever be.
    void flush(Nanos /*now*/, Emitter& out) override { run_timers_to_end(out); }

    std::uint64_t buffered() const override { return buffered_; }
    std::uint64_t key_count() const override { return keys_.size(); }

private:
    KeyTable keys_;
    Nanos quiet_;
    DeadlineHeap deadlines_;
    std::vector<Event> held_; // per slot
    std::uint64_t buffered_ = 0;
};

} // namespace

std::span<const OptionSpec> debounce_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_debounce(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    if (!opts.has("for")) {
        diagnostics.error(config.options.position(), "missing option 'for'");
    }
    auto quiet = opts.duration("for", 0);
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Debounce>(std::move(*keys), quiet);
}

} // namespace sluice
