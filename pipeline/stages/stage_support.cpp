#include "pipeline/stages/stage_support.hpp"

#include "pipeline/options.hpp"

#include <string>

namespace sluice {

std::optional<KeyTable> make_key_table(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options opts(config.options, diagnostics);
    bool ok = true;
    std::vector<Symbol> fields;
    if (const auto* key = opts.node("key"); key && !key->is_null()) {
        if (key->is_mapping()) {
            diagnostics.error(key->position(), "invalid value for 'key', expected a list of "
                                               "field names");
            ok = false;
        }
        for (const auto& name : opts.strings("key")) {
            if (name.empty()) {
                diagnostics.error(key->position(), "'key' names an empty field");
                ok = false;
            } else {
                fields.push_back(intern(name));
            }
        }
    }
    auto errors_before = diagnostics.error_count();
    auto max_keys = opts.integer("max_keys", kDefaultMaxKeys);
    if (diagnostics.error_count() != errors_before) {
        ok = false;
    } else if (max_keys < 1 || max_keys > UINT32_MAX - 1) {
        diagnostics.error(opts.position("max_keys"),
                          "invalid value for 'max_keys', expected an integer from 1 to 4294967294");
        ok = false;
    }
    if (!ok) {
        return std::nullopt;
    }
    return KeyTable(std::move(fields), static_cast<std::uint32_t>(max_keys));
}

namespace {

std::optional<Expression> compile_node(const ConfigNode& node, Diagnostics& diagnostics,
                                       ExpressionUse use) {
    if (!node.is_scalar()) {
        diagnostics.error(node.position(), "expected an expression");
        return std::nullopt;
    }
    std::string_view text = node.text();
    // A literal block ends with a line break: "unexpected end" belongs after the last operand,
    // not on the line below the block.
    text = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
    if (use == ExpressionUse::condition) {
        return Expression::compile_condition(text, node.text_origin(), diagnostics);
    }
    return Expression::compile(text, node.text_origin(), diagnostics);
}

} // namespace

std::optional<Expression> compile_expression(const ConfigNode& node, Diagnostics& diagnostics) {
    return compile_node(node, diagnostics, ExpressionUse::value);
}

std::optional<Expression> compile_condition(const ConfigNode& node, Diagnostics& diagnostics) {
    return compile_node(node, diagnostics, ExpressionUse::condition);
}

std::optional<Expression> compile_option(const ComponentConfig& config, std::string_view key,
                                         bool required, Diagnostics& diagnostics,
                                         ExpressionUse use) {
    const auto* node = config.options.find(key);
    if (!node || node->is_null()) {
        if (required) {
            diagnostics.error(config.options.position(),
                              "missing option '" + std::string(key) + "'");
        }
        return std::nullopt;
    }
    return compile_node(*node, diagnostics, use);
}

const ConfigNode* mapping_option(const ComponentConfig& config, std::string_view key, bool required,
                                 Diagnostics& diagnostics) {
    const auto* node = config.options.find(key);
    if (!node || node->is_null()) {
        if (required) {
            diagnostics.error(config.options.position(),
                              "missing option '" + std::string(key) + "'");
        }
        return nullptr;
    }
    if (!node->is_mapping()) {
        diagnostics.error(node->position(),
                          "invalid value for '" + std::string(key) + "', expected a mapping");
        return nullptr;
    }
    return node;
}

std::optional<Symbol> field_option(const ComponentConfig& config, std::string_view key,
                                   Diagnostics& diagnostics) {
    const auto* node = config.options.find(key);
    if (!node || node->is_null()) {
        diagnostics.error(config.options.position(), "missing option '" + std::string(key) + "'");
        return std::nullopt;
    }
    if (!node->is_scalar() || node->text().empty()) {
        diagnostics.error(node->position(),
                          "invalid value for '" + std::string(key) + "', expected a field name");
        return std::nullopt;
    }
    return intern(node->text());
}

void note_error(StageCounters& counters, std::string_view why) {
    ++counters.errors;
    // assign() reuses the string's capacity, so a stream of failures does not churn the heap.
    counters.last_error.assign(why);
}

} // namespace sluice
