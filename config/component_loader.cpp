#include "config/component_loader.hpp"

#include "config/section_options.hpp"
#include "config/suggest.hpp"

namespace sluice {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

void check_name(const std::string& name, Position where, const CheckContext& context) {
    if (is_tainted(context.tainted, where)) {
        return;
    }
    bool ok = !name.empty();
    for (char c : name) {
        ok = ok && is_name_char(c);
    }
    if (!ok) {
        context.diagnostics.error(where, "invalid component name " + quote(name) +
                                             ", expected letters, digits, '_' and '-' only");
    }
}

std::string type_list(const KindRegistry& registry, ComponentKind kind) {
    auto names = registry.type_names(kind);
    return names.empty() ? std::string("(none are known)") : join_list(names);
}

const KindSpec* resolve_type(LoadedComponent& out, const KindRegistry& registry,
                             const CheckContext& context) {
    auto& config = out.config;
    const ConfigNode* type = config.options.find("type");
    auto kind = std::string(kind_name(config.kind));
    if (!type) {
        context.diagnostics.error(config.position, describe(config.kind, config.name) +
                                                       " has no 'type', expected one of: " +
                                                       type_list(registry, config.kind));
        return nullptr;
    }
    if (is_tainted(context.tainted, type->position())) {
        return nullptr;
    }
    if (!type->is_scalar()) {
        context.diagnostics.error(
            type->position(), "invalid value for 'type' (" + std::string(node_description(*type)) +
                                  "), expected one of: " + type_list(registry, config.kind));
        return nullptr;
    }
    config.type = type->text();
    const auto* spec = registry.find(config.kind, config.type);
    if (!spec) {
        auto names = registry.type_names(config.kind);
        context.diagnostics.error(type->position(),
                                  "unknown " + kind + " type " + quote(config.type) +
                                      did_you_mean(config.type, names) +
                                      ", expected one of: " + type_list(registry, config.kind));
    }
    return spec;
}

void check_buffer(ComponentConfig& config, const CheckContext& context) {
    std::string owner = describe(config.kind, config.name) + " buffer";
    ConfigNode* buffer = config.options.find("buffer");
    if (!buffer) {
        auto filled = ConfigNode::make_mapping(config.position);
        check_mapping(filled, {buffer_options()}, owner, config.position, context);
        config.options.set("buffer", std::move(filled), config.position);
        return;
    }
    if (is_tainted(context.tainted, buffer->position())) {
        return;
    }
    if (!buffer->is_mapping()) {
        context.diagnostics.error(buffer->position(),
                                  "invalid value for 'buffer' (" +
                                      std::string(node_description(*buffer)) +
                                      "), expected a mapping with max_events and when_full");
        return;
    }
    check_mapping(*buffer, {buffer_options()}, owner, buffer->position(), context);
}

void add_input(const ConfigNode& item, std::vector<InputRef>& inputs, const CheckContext& context) {
    if (!item.is_scalar() || is_tainted(context.tainted, item.position())) {
        return;
    }
    const std::string& text = item.text();
    auto dot = text.find('.');
    InputRef ref{text.substr(0, dot), dot == std::string::npos ? "" : text.substr(dot + 1),
                 item.position()};
    if (ref.component.empty() || (dot != std::string::npos && ref.output.empty())) {
        context.diagnostics.error(item.position(), "invalid input " + quote(text) +
                                                       ", expected a component name or "
                                                       "stage.output");
        return;
    }
    inputs.push_back(std::move(ref));
}

std::vector<InputRef> parse_inputs(const ConfigNode* node, const CheckContext& context) {
    std::vector<InputRef> inputs;
    if (!node) {
        return inputs;
    }
    if (node->is_scalar()) {
        add_input(*node, inputs, context);
    }
    if (node->is_sequence()) {
        for (const auto& item : node->items()) {
            add_input(item, inputs, context);
        }
    }
    return inputs;
}

} // namespace

std::string describe(ComponentKind kind, std::string_view name) {
    return std::string(kind_name(kind)) + " " + quote(name);
}

LoadedComponent load_component(ComponentKind kind, const std::string& name, const ConfigNode& node,
                               const KindRegistry& registry, const CheckContext& context) {
    LoadedComponent out;
    auto& config = out.config;
    config.kind = kind;
    config.name = name;
    config.position = node.key_position();
    std::size_t errors_before = context.diagnostics.error_count();
    check_name(name, config.position, context);
    if (!node.is_mapping()) {
        if (!is_tainted(context.tainted, node.position())) {
            context.diagnostics.error(node.is_null() ? config.position : node.position(),
                                      "invalid value for " + describe(kind, name) + " (" +
                                          std::string(node_description(node)) +
                                          "), expected a mapping with 'type' and its options");
        }
        return out;
    }
    config.fingerprint = node.canonical();
    config.options = node;
    out.spec = resolve_type(out, registry, context);
    if (out.spec) {
        check_mapping(config.options,
                      {common_options(kind), out.spec->options, out.spec->shared_options},
                      describe(kind, name), config.position, context);
        if (kind == ComponentKind::sink || kind == ComponentKind::actuator) {
            check_buffer(config, context);
        }
    }
    if (kind != ComponentKind::source) {
        config.inputs = parse_inputs(config.options.find("inputs"), context);
    }
    // A type whose ${VAR} failed leaves no spec and no new error: still not valid.
    out.valid = out.spec && context.diagnostics.error_count() == errors_before;
    return out;
}

} // namespace sluice
