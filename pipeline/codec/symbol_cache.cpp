#include "pipeline/codec/symbol_cache.hpp"

#include <algorithm>

namespace sluice {

std::optional<Symbol> SymbolCache::miss(std::uint32_t index, std::string_view name) {
    auto symbol = try_intern(name);
    if (!symbol) {
        return std::nullopt;
    }
    // Entries after a changed one are dropped and learnt again, so each entry's `unique` only
    // ever describes the entries before it as they are now.
    if (index < entries_.size()) {
        entries_.resize(index);
    }
    if (index == entries_.size() && index < kMaxEntries) {
        bool unique = true;
        for (const auto& entry : entries_) {
            unique = unique && entry.symbol != *symbol;
        }
        bool bare = std::none_of(name.begin(), name.end(), [](char c) {
            auto byte = static_cast<unsigned char>(c);
            return byte < 0x20 || byte == '"' || byte == '\\';
        });
        entries_.push_back({symbol_name(*symbol), *symbol, unique, bare});
    }
    return symbol;
}

} // namespace sluice
