#include "pipeline/symbol.hpp"

#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>

namespace sluice {
namespace {

struct Table {
    // A deque never moves its elements, so the string_view keys below stay valid.
    std::deque<std::string> names{std::string{}};
    std::unordered_map<std::string_view, Symbol> index{{std::string_view{}, 0}};
    std::size_t bytes = 0; // of every name so far; try_intern() keeps it within kMaxSymbolBytes

    Symbol add(std::string_view name) {
        bytes += name.size();
        names.emplace_back(name);
        auto symbol = static_cast<Symbol>(names.size() - 1);
        index.emplace(names.back(), symbol);
        return symbol;
    }
};

Table& table() {
    static Table instance;
    return instance;
}

} // namespace

std::optional<Symbol> try_intern(std::string_view name) {
    auto& t = table();
    if (auto it = t.index.find(name); it != t.index.end()) {
        return it->second;
    }
    if (t.names.size() >= kMaxSymbols ||
        name.size() > kMaxSymbolBytes - std::min(t.bytes, kMaxSymbolBytes)) {
        return std::nullopt;
    }
    return t.add(name);
}

Symbol intern(std::string_view name) {
    auto& t = table();
    if (auto it = t.index.find(name); it != t.index.end()) {
        return it->second;
    }
    return t.add(name);
}

std::optional<Symbol> find_symbol(std::string_view name) {
    auto& t = table();
    if (auto it = t.index.find(name); it != t.index.end()) {
        return it->second;
    }
    return std::nullopt;
}

std::string_view symbol_name(Symbol symbol) {
    auto& t = table();
    return symbol < t.names.size() ? std::string_view{t.names[symbol]} : std::string_view{};
}

} // namespace sluice
