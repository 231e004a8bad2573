#include "pipeline/stages/window.hpp"

#include "pipeline/stages/aggregate.hpp"
#include "pipeline/stages/deadline_heap.hpp"
#include "pipeline/stages/stage_support.hpp"

#include <vector>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"every", OptionType::duration, "",
     "How often a window closes; windows start at multiples of it since the epoch.", true},
    {"size", OptionType::duration, "",
     "How long each window is (default: every, a tumbling window; longer: hopping windows)."},
    {"aggregate", OptionType::string_map, "",
     "Output field -> fn(field) with fn one of count sum avg min max first last stddev.", true},
};

/// The most windows one event may fall into (size / every): bounds per-key memory and work.
constexpr Nanos kMaxOverlap = 100;

Nanos floor_div(Nanos a, Nanos b) {
    auto q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/// Window k covers [k * every, k * every + size) on the pipeline clock. Each key keeps a ring of
/// the windows that can be open at once, so per-key memory is fixed when the key is created.
class Window final : public Stage {
public:
    Window(KeyTable keys, Nanos every, Nanos size, std::vector<AggregateSpec> aggregates)
        : keys_(std::move(keys)), every_(every), size_(size),
          ring_(static_cast<std::uint32_t>(size / every + (size % every != 0 ? 1 : 0))),
          aggregates_(std::move(aggregates)), args_(aggregates_.size()),
          window_start_(intern("window_start")), window_end_(intern("window_end")) {
        for (std::size_t i = 0; i < aggregates_.size(); ++i) {
            contexts_.push_back(std::make_unique<EvalContext>());
        }
    }

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        if (deadlines_.next() <= now) {
            on_timer(now, out);
        }
        auto last = floor_div(now, every_);
        auto first = floor_div(now - size_, every_) + 1;
        for (auto& event : batch) {
            if (first > last) {
                ++counters_.dropped; // between windows (size < every)
                continue;
            }
            if (!evaluate(event, now)) {
                continue;
            }
            auto found = keys_.find_or_create(event);
            if (found.evicted) {
                ++counters_.evictions;
                discard(found.slot);
            }
            grow(found.slot);
            for (auto k = first; k <= last; ++k) {
                add(found.slot, k, event.source(), out);
            }
            deadlines_.set(found.slot, earliest_end(found.slot));
        }
    }

    Nanos next_deadline() const override { return deadlines_.next(); }

    void on_timer(Nanos now, Emitter& out) override {
        while (deadlines_.next() <= now) {
            auto slot = deadlines_.top();
            close_due(slot, now, out);
            auto next = earliest_end(slot);
            deadlines_.set(slot, next);
            if (next == kNever) {
                keys_.erase(slot); // no open window: the key holds nothing worth keeping
            }
        }
    }

    /// Closes every open window early, as if the clock ran on to the end of each: the same
    /// output in the same order, only sooner and over the events so far. A partial aggregate
    /// beats none when the input has ended (a replayed recording) or the daemon stops.
    void flush(Nanos /*now*/, Emitter& out) override { run_timers_to_end(out); }

    std::uint64_t buffered() const override { return open_; }
    std::uint64_t key_count() const override { return keys_.size(); }

private:
    static constexpr Nanos kClosed = INT64_MIN;
    struct Pane {
        Nanos k = kClosed; // the window's number, or kClosed
        Symbol source = 0; // of the latest event, for the emitted aggregate
    };

    bool evaluate(const Event& event, Nanos now) {
        for (std::size_t i = 0; i < aggregates_.size(); ++i) {
            const auto& a = aggregates_[i];
            if (a.expr) {
                contexts_[i]->now = now;
                auto v = a.expr->eval(event, *contexts_[i]);
                if (!v) {
                    note_error(counters_, contexts_[i]->error);
                    return false;
                }
                args_[i] = *v;
            } else {
                args_[i] = a.has_arg ? event.get(a.field) : Value::boolean(true);
            }
        }
        return true;
    }

    std::uint32_t ring_index(Nanos k) const {
        auto r = k % static_cast<Nanos>(ring_);
        return static_cast<std::uint32_t>(r < 0 ? r + ring_ : r);
    }
    Pane& pane(std::uint32_t slot, std::uint32_t r) {
        return panes_[std::size_t{slot} * ring_ + r];
    }
    Accumulator* accs(std::uint32_t slot, std::uint32_t r) {
        return &accs_[(std::size_t{slot} * ring_ + r) * aggregates_.size()];
    }

    void grow(std::uint32_t slot) {
        if (std::size_t{slot} * ring_ >= panes_.size()) {
            panes_.resize(std::size_t{keys_.slot_count()} * ring_);
            accs_.resize(panes_.size() * aggregates_.size());
        }
    }

    void add(std::uint32_t slot, Nanos k, Symbol source, Emitter& out) {
        auto r = ring_index(k);
        auto& p = pane(slot, r);
        if (p.k != k) {
            if (p.k != kClosed) {
                close(slot, r, out); // only when timers ran late; keeps output complete
            }
            p.k = k;
            ++open_;
            auto* a = accs(slot, r);
            for (std::size_t i = 0; i < aggregates_.size(); ++i) {
                a[i].reset();
            }
        }
        p.source = source;
        auto* a = accs(slot, r);
        for (std::size_t i = 0; i < aggregates_.size(); ++i) {
            a[i].add(aggregates_[i].fn, args_[i]);
        }
    }

    Nanos earliest_end(std::uint32_t slot) {
        Nanos end = kNever;
        for (std::uint32_t r = 0; r < ring_; ++r) {
            auto k = pane(slot, r).k;
            if (k != kClosed && k * every_ + size_ < end) {
                end = k * every_ + size_;
            }
        }
        return end;
    }

    void close_due(std::uint32_t slot, Nanos now, Emitter& out) {
        // Oldest first, so a key's aggregates leave in window order.
        for (;;) {
            std::uint32_t oldest = ring_;
            for (std::uint32_t r = 0; r < ring_; ++r) {
                auto k = pane(slot, r).k;
                if (k != kClosed && k * every_ + size_ <= now &&
                    (oldest == ring_ || k < pane(slot, oldest).k)) {
                    oldest = r;
                }
            }
            if (oldest == ring_) {
                return;
            }
            close(slot, oldest, out);
        }
    }

    void close(std::uint32_t slot, std::uint32_t r, Emitter& out) {
        auto& p = pane(slot, r);
        auto start = p.k * every_;
        Event e;
        e.set_ts(start + size_);
        e.set_source(p.source);
        keys_.copy_key(slot, e);
        const auto* a = accs(slot, r);
        for (std::size_t i = 0; i < aggregates_.size(); ++i) {
            e.set(aggregates_[i].out, a[i].result(aggregates_[i].fn));
        }
        e.set(window_start_, Value::integer(start));
        e.set(window_end_, Value::integer(start + size_));
        out.emit(std::move(e));
        p.k = kClosed;
        --open_;
    }

    void discard(std::uint32_t slot) {
        for (std::uint32_t r = 0; r < ring_ && std::size_t{slot} * ring_ < panes_.size(); ++r) {
            if (pane(slot, r).k != kClosed) {
                pane(slot, r).k = kClosed;
                --open_;
            }
        }
        deadlines_.remove(slot);
    }

    KeyTable keys_;
    Nanos every_;
    Nanos size_;
    std::uint32_t ring_; // windows one key can have open at once: ceil(size / every)
    std::vector<AggregateSpec> aggregates_;
    std::vector<Value> args_; // this event's argument per aggregate
    std::vector<std::unique_ptr<EvalContext>> contexts_;
    Symbol window_start_;
    Symbol window_end_;
    DeadlineHeap deadlines_;
    std::vector<Pane> panes_;       // slot * ring_ + r
    std::vector<Accumulator> accs_; // (slot * ring_ + r) * aggregates + i
    std::uint64_t open_ = 0;
};

std::vector<AggregateSpec> read_aggregates(const ComponentConfig& config,
                                           Diagnostics& diagnostics) {
    std::vector<AggregateSpec> out;
    const auto* node = mapping_option(config, "aggregate", true, diagnostics);
    if (!node) {
        return out;
    }
    if (node->size() == 0) {
        diagnostics.error(node->position(), "'aggregate' needs at least one output field");
    }
    for (std::size_t i = 0; i < node->size(); ++i) {
        const auto& name = node->keys()[i];
        if (name == "window_start" || name == "window_end") {
            diagnostics.error(node->items()[i].key_position(),
                              "'" + name + "' is set by window itself; choose another name");
        }
        if (auto spec = parse_aggregate(name, node->items()[i], diagnostics)) {
            out.push_back(std::move(*spec));
        }
    }
    return out;
}

} // namespace

std::span<const OptionSpec> window_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_window(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    if (!opts.has("every")) {
        diagnostics.error(config.options.position(), "missing option 'every'");
    }
    auto every = opts.duration("every", 1);
    auto size = opts.duration("size", every);
    if (every <= 0 || size <= 0) {
        diagnostics.error(opts.position(every <= 0 ? "every" : "size"),
                          "invalid window length, expected a duration above 0");
    } else if (size / every + (size % every != 0 ? 1 : 0) > kMaxOverlap) {
        diagnostics.error(opts.position("size"),
                          "'size' may be at most 100 times 'every' (each event would update "
                          "too many windows)");
    }
    auto aggregates = read_aggregates(config, diagnostics);
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Window>(std::move(*keys), every, size, std::move(aggregates));
}

} // namespace sluice
