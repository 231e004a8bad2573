#include "pipeline/codec/symbol_cache.hpp"

namespace sluice {

std::optional<Symbol> SymbolCache::miss(std::uint32_t index, std::string_view name) {
    auto symbol = try_intern(name);
    if (!symbol) {
        return std::nullopt;
    }
    Entry entry{symbol_name(*symbol), *symbol};
    if (index < entries_.size()) {
        entries_[index] = entry;
    } else if (index == entries_.size() && index < kMaxEntries) {
        entries_.push_back(entry);
    }
    return symbol;
}

} // namespace sluice
