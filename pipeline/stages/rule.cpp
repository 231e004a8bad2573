#include "pipeline/stages/rule.hpp"

#include "pipeline/stages/deadline_heap.hpp"
#include "pipeline/stages/edge_machine.hpp"
#include "pipeline/stages/stage_support.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace sluice {
namespace {

constexpr OptionSpec kOptions[] = {
    {"when", OptionType::expression, "", "The condition that sets the rule.", true},
    {"for", OptionType::duration, "0s", "How long `when` must hold before the rule is set."},
    {"clear", OptionType::expression, "",
     "The condition that clears the rule (default: not when). A stricter clear gives "
     "hysteresis."},
    {"clear_for", OptionType::duration, "0s",
     "How long `clear` must hold before the rule is cleared."},
    {"emit", OptionType::node, "",
     "{on_set: {field: expr}, on_clear: {field: expr}}: the fields of the event emitted on each "
     "edge (default: active: true / active: false)."},
};

struct Assignment {
    Symbol field;
    Expression value;
};
using Assignments = std::vector<Assignment>;

struct RuleSpec {
    std::optional<Expression> when; // always set in a built rule
    std::optional<Expression> clear;
    Nanos hold_set = 0;
    Nanos hold_clear = 0;
    bool custom_emit = false;
    std::optional<Assignments> on_set;
    std::optional<Assignments> on_clear;
    /// The fields an edge's event gets (key fields, then its assignments, or `active`) are
    /// all distinct, so they can be appended without searching the event.
    bool set_distinct = false;
    bool clear_distinct = false;
};

/// Whether `names`, after the key fields, never repeat a name.
bool distinct(const std::vector<Symbol>& key, const std::vector<Symbol>& names) {
    std::vector<Symbol> seen = key;
    for (auto name : names) {
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            return false;
        }
        seen.push_back(name);
    }
    return true;
}

std::vector<Symbol> assigned(const std::optional<Assignments>& assignments, Symbol active) {
    std::vector<Symbol> names;
    if (!assignments) {
        names.push_back(active);
        return names;
    }
    for (const auto& a : *assignments) {
        names.push_back(a.field);
    }
    return names;
}

class Rule final : public Stage {
public:
    Rule(KeyTable keys, RuleSpec spec)
        : keys_(std::move(keys)), spec_(std::move(spec)), active_(intern("active")) {
        spec_.set_distinct = distinct(keys_.fields(), assigned(spec_.on_set, active_));
        spec_.clear_distinct = distinct(keys_.fields(), assigned(spec_.on_clear, active_));
    }

    void process(std::span<Event> batch, Emitter& out, Nanos now) override {
        if (deadlines_.next() <= now) {
            on_timer(now, out);
        }
        ctx_.now = now;
        for (auto& event : batch) {
            auto found = keys_.find_or_create(event);
            counters_.evictions += found.evicted ? 1 : 0;
            auto& s = slot_state(states_, found.slot);
            if (found.created) {
                s.edge = EdgeState{};
            }
            bool active = s.edge.active;
            auto condition = active ? clears(event) : spec_.when->test(event, ctx_);
            if (!condition) {
                note_error(counters_, ctx_.error);
                continue;
            }
            auto edge = s.edge.observe(*condition, now, active ? spec_.hold_clear : spec_.hold_set);
            deadlines_.set(found.slot, s.edge.deadline);
            if (s.edge.deadline != kNever) {
                s.latest = event; // what the edge reports if it fires on the timer
            }
            if (edge != Edge::none) {
                emit_edge(found.slot, edge, event, event.ts(), out);
            }
        }
    }

    Nanos next_deadline() const override { return deadlines_.next(); }

    void on_timer(Nanos now, Emitter& out) override {
        ctx_.now = now;
        while (deadlines_.next() <= now) {
            auto slot = deadlines_.top();
            auto due = deadlines_.next();
            deadlines_.remove(slot);
            auto edge = states_[slot].edge.due(now);
            if (edge != Edge::none) {
                emit_edge(slot, edge, states_[slot].latest, due, out);
            }
        }
    }

    std::uint64_t key_count() const override { return keys_.size(); }

private:
    struct State {
        EdgeState edge;
        Event latest; // the latest event while an edge is pending
    };

    std::optional<bool> clears(const Event& event) {
        if (spec_.clear) {
            return spec_.clear->test(event, ctx_);
        }
        auto when = spec_.when->test(event, ctx_);
        return when ? std::optional<bool>(!*when) : std::nullopt;
    }

    void emit_edge(std::uint32_t slot, Edge edge, const Event& trigger, Nanos ts, Emitter& out) {
        const auto& fields = edge == Edge::set ? spec_.on_set : spec_.on_clear;
        if (spec_.custom_emit && !fields) {
            return; // `emit` names only the other edge
        }
        bool fresh = edge == Edge::set ? spec_.set_distinct : spec_.clear_distinct;
        Event& e = out.emit_new();
        e.set_ts(ts);
        e.set_source(trigger.source());
        keys_.copy_key(slot, e);
        if (!spec_.custom_emit) {
            e.set(active_, Value::boolean(edge == Edge::set));
        } else {
            for (const auto& a : *fields) {
                auto v = a.value.eval(trigger, ctx_);
                if (!v) {
                    // The state has changed all the same, so the next edge is the opposite one.
                    out.retract();
                    note_error(counters_, ctx_.error);
                    return;
                }
                if (fresh) {
                    e.append(a.field, *v);
                } else {
                    e.set(a.field, *v);
                }
            }
        }
    }

    KeyTable keys_;
    RuleSpec spec_;
    Symbol active_;
    EvalContext ctx_;
    DeadlineHeap deadlines_;
    std::vector<State> states_; // per slot
};

std::optional<Assignments> read_assignments(const ConfigNode& node, Diagnostics& diagnostics) {
    if (node.is_null()) {
        return std::nullopt;
    }
    Assignments out;
    if (!node.is_mapping()) {
        diagnostics.error(node.position(), "expected a mapping of field: expression");
        return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) {
        if (auto value = compile_expression(node.items()[i], diagnostics)) {
            out.push_back({intern(node.keys()[i]), std::move(*value)});
        }
    }
    return out;
}

void read_emit(const ComponentConfig& config, RuleSpec& spec, Diagnostics& diagnostics) {
    const auto* emit = mapping_option(config, "emit", false, diagnostics);
    if (!emit) {
        return;
    }
    spec.custom_emit = true;
    for (std::size_t i = 0; i < emit->size(); ++i) {
        const auto& name = emit->keys()[i];
        if (name == "on_set") {
            spec.on_set = read_assignments(emit->items()[i], diagnostics);
        } else if (name == "on_clear") {
            spec.on_clear = read_assignments(emit->items()[i], diagnostics);
        } else {
            diagnostics.error(emit->items()[i].key_position(),
                              "unknown key '" + name + "' in 'emit', expected on_set or on_clear");
        }
    }
}

} // namespace

std::span<const OptionSpec> rule_options() {
    return kOptions;
}

std::unique_ptr<Stage> make_rule(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    auto errors = diagnostics.error_count();
    auto keys = make_key_table(config, diagnostics);
    auto when = compile_option(config, "when", true, diagnostics, ExpressionUse::condition);
    auto clear = compile_option(config, "clear", false, diagnostics, ExpressionUse::condition);
    auto hold_set = opts.duration("for", 0);
    auto hold_clear = opts.duration("clear_for", 0);
    RuleSpec spec;
    spec.when = std::move(when);
    spec.clear = std::move(clear);
    spec.hold_set = hold_set;
    spec.hold_clear = hold_clear;
    read_emit(config, spec, diagnostics);
    if (diagnostics.error_count() != errors) {
        return nullptr;
    }
    return std::make_unique<Rule>(std::move(*keys), std::move(spec));
}

} // namespace sluice
