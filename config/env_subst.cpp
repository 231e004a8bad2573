#include "config/env_subst.hpp"

#include "config/suggest.hpp"

#include <cstdlib>

namespace sluice {
namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

constexpr std::string_view kExpectedForm = ", expected ${NAME} or ${NAME:-default}";

/// Expands the reference `inner` (the text between "${" and "}"); false when it is malformed
/// or names an unset variable without a default.
bool expand_reference(std::string_view inner, Position where, const EnvLookup& env,
                      Diagnostics& diagnostics, std::string& out) {
    std::size_t name_end = 0;
    while (name_end < inner.size() && is_name_char(inner[name_end])) {
        ++name_end;
    }
    std::string_view rest = inner.substr(name_end);
    if (name_end == 0 || !is_name_start(inner[0]) || (!rest.empty() && !rest.starts_with(":-"))) {
        diagnostics.error(where, "invalid variable reference " +
                                     quote("${" + std::string(inner) + "}") +
                                     std::string(kExpectedForm));
        return false;
    }
    std::string name(inner.substr(0, name_end));
    if (auto value = env(name)) {
        out += *value;
        return true;
    }
    if (rest.starts_with(":-")) {
        out += rest.substr(2);
        return true;
    }
    diagnostics.error(where, "environment variable '" + name +
                                 "' is not set, expected it set or a default as ${" + name +
                                 ":-default}");
    return false;
}

} // namespace

EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
    };
}

std::optional<std::string> substitute_env(std::string_view text, Position where,
                                          const EnvLookup& env, Diagnostics& diagnostics) {
    if (text.find('$') == std::string_view::npos) {
        return std::string(text);
    }
    std::string out;
    bool ok = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (text[i] != '$' || (next != '$' && next != '{')) {
            out += text[i];
            continue;
        }
        if (next == '$') {
            out += '$';
            ++i;
            continue;
        }
        auto close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            diagnostics.error(where, "unterminated variable reference " + quote(text.substr(i)) +
                                         std::string(kExpectedForm));
            return std::nullopt;
        }
        ok =
            expand_reference(text.substr(i + 2, close - i - 2), where, env, diagnostics, out) && ok;
        i = close;
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

} // namespace sluice
