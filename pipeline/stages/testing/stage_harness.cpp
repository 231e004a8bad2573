#include "pipeline/stages/testing/stage_harness.hpp"

#include "pipeline/options.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stages/builtin_stages.hpp"
#include "pipeline/stages/testing/config_text.hpp"

#include <charconv>
#include <stdexcept>

namespace sluice::testing {
namespace {

/// Options every stage accepts; the config loader owns them.
constexpr std::string_view kSharedOptions[] = {"type", "inputs", "key", "max_keys"};

std::string show_value(Value v) {
    switch (v.type()) {
    case ValueType::null:
        return "null";
    case ValueType::boolean:
        return v.as_bool() ? "true" : "false";
    case ValueType::integer:
        return std::to_string(v.as_int());
    case ValueType::number: {
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_double());
        std::string text(buf, end);
        if (text.find_first_of(".en") == std::string::npos) {
            text += ".0";
        }
        return text;
    }
    case ValueType::string:
        return "\"" + std::string(v.as_string()) + "\"";
    }
    return "?";
}

const KindSpec* find_kind(std::string_view type) {
    for (const auto& kind : builtin_stage_kinds()) {
        if (kind.type == type) {
            return &kind;
        }
    }
    return nullptr;
}

/// What the config loader does before a factory runs: unknown and missing options, defaults.
bool check_options(ConfigNode& node, const KindSpec& kind, Diagnostics& diagnostics) {
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto& key = node.keys()[i];
        bool known = false;
        for (auto shared : kSharedOptions) {
            known = known || key == shared;
        }
        for (const auto& spec : kind.options) {
            known = known || key == spec.key;
        }
        if (!known) {
            diagnostics.error(node.items()[i].key_position(), "unknown option '" + key + "'");
            ok = false;
        }
    }
    for (const auto& spec : kind.options) {
        if (node.find(spec.key) && !node.find(spec.key)->is_null()) {
            continue;
        }
        if (spec.required) {
            diagnostics.error(node.position(), "missing option '" + std::string(spec.key) + "'");
            ok = false;
        } else if (!spec.default_value.empty()) {
            node.set(std::string(spec.key),
                     ConfigNode::make_scalar(std::string(spec.default_value), node.position()));
        }
    }
    return ok;
}

} // namespace

Event make_event(std::initializer_list<std::pair<std::string_view, TestValue>> fields, Nanos ts,
                 std::string_view source) {
    Event e;
    e.set_ts(ts);
    e.set_source(source.empty() ? 0 : intern(source));
    for (const auto& [name, value] : fields) {
        e.set(intern(name), value.value);
    }
    return e;
}

std::string show(const Event& event) {
    std::string out = "{";
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        out += i ? ", " : "";
        out += symbol_name(event.name_at(i));
        out += ": ";
        out += show_value(event.value_at(i));
    }
    return out + "}";
}

std::vector<std::string> show(std::span<const Event> events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
        out.push_back(show(e));
    }
    return out;
}

std::unique_ptr<Stage> build_stage(std::string_view config_text, Diagnostics& diagnostics) {
    ComponentConfig config;
    config.kind = ComponentKind::stage;
    config.name = "test";
    config.options = parse_config_text(config_text);
    const auto* type = config.options.find("type");
    const auto* kind = type ? find_kind(type->text()) : nullptr;
    if (!kind) {
        diagnostics.error(config.options.position(), "unknown or missing stage type");
        return nullptr;
    }
    config.type = type->text();
    if (!check_options(config.options, *kind, diagnostics)) {
        return nullptr;
    }
    auto stage = kind->make_stage(config, diagnostics);
    if (stage && diagnostics.has_errors()) {
        throw std::logic_error("factory of '" + config.type + "' reported errors but built");
    }
    return stage;
}

std::unique_ptr<Stage> build_stage(std::string_view config_text) {
    Diagnostics diagnostics("test");
    auto stage = build_stage(config_text, diagnostics);
    if (!stage) {
        throw std::runtime_error("cannot build stage: " + diagnostics.format_all());
    }
    return stage;
}

StageRunner::StageRunner(std::string_view config_text) : StageRunner(build_stage(config_text)) {}

StageRunner::StageRunner(std::unique_ptr<Stage> stage)
    : stage_(std::move(stage)), ports_(stage_->port_count()) {}

std::vector<EventBatch> StageRunner::push_ports(std::vector<Event> events, Nanos now) {
    for (auto& port : ports_) {
        port.clear();
    }
    Emitter out(ports_);
    stage_->process(events, out, now);
    return ports_;
}

EventBatch StageRunner::push(std::vector<Event> events, Nanos now) {
    return push_ports(std::move(events), now)[0];
}

EventBatch StageRunner::advance(Nanos now) {
    EventBatch all;
    for (int turns = 0; stage_->next_deadline() <= now; ++turns) {
        if (turns == 100000) {
            throw std::logic_error("on_timer() does not move next_deadline() forward");
        }
        auto batch = fire_late(stage_->next_deadline());
        all.insert(all.end(), batch.begin(), batch.end());
    }
    return all;
}

EventBatch StageRunner::fire_late(Nanos now) {
    for (auto& port : ports_) {
        port.clear();
    }
    if (stage_->next_deadline() <= now) {
        Emitter out(ports_);
        stage_->on_timer(now, out);
    }
    return ports_[0];
}

EventBatch StageRunner::flush(Nanos now) {
    for (auto& port : ports_) {
        port.clear();
    }
    Emitter out(ports_);
    stage_->flush(now, out);
    return ports_[0];
}

} // namespace sluice::testing
