#pragma once
// Field-name symbols remembered by position, so a stream of same-shaped frames skips hashing.

#include "pipeline/symbol.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sluice {

/// Remembers the symbol of the i-th name seen in the previous frame. Most streams send the same
/// keys in the same order, so comparing the bytes with the cached name replaces a hash lookup.
/// Holds no more than kMaxEntries names, whatever the input.
class SymbolCache {
public:
    static constexpr std::uint32_t kMaxEntries = 256;

    /// The symbol for `name`, the `index`-th name of the current frame. Interns names not seen
    /// before; returns nullopt when the symbol table is full. Never throws except bad_alloc.
    std::optional<Symbol> lookup(std::uint32_t index, std::string_view name) {
        if (index < entries_.size() && same(entries_[index].name, name)) {
            return entries_[index].symbol;
        }
        in_sequence_ = false;
        return miss(index, name);
    }

    struct Found {
        Symbol symbol;
        /// The frame gave no name equal to this one before it, so a decoder filling a fresh
        /// event may append the field instead of searching for it (Event::append).
        bool fresh;
    };
    /// Like lookup(), and says whether the name is certainly new in this frame: true when all
    /// names of the frame so far matched the previous frame's names in order, and those were
    /// distinct. Call begin_frame() before each frame's first name.
    std::optional<Found> lookup_fresh(std::uint32_t index, std::string_view name) {
        if (index < entries_.size() && same(entries_[index].name, name)) {
            return Found{entries_[index].symbol, in_sequence_ && entries_[index].unique};
        }
        in_sequence_ = false;
        auto symbol = miss(index, name);
        return symbol ? std::optional<Found>(Found{*symbol, false}) : std::nullopt;
    }
    void begin_frame() { in_sequence_ = true; }

    /// The previous frame's `index`-th name when it needs no escaping in a JSON string (no
    /// quote, backslash or control character), else empty. A decoder that finds exactly these
    /// bytes in the frame takes the name with hit() and skips unescaping and comparing it.
    std::string_view expected(std::uint32_t index) const {
        return index < entries_.size() && entries_[index].bare ? entries_[index].name
                                                               : std::string_view{};
    }
    /// lookup_fresh() of the name expected(index) returned.
    Found hit(std::uint32_t index) const {
        return Found{entries_[index].symbol, in_sequence_ && entries_[index].unique};
    }

    /// Field names are short: a byte loop beats a call to memcmp.
    static bool same(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

private:
    struct Entry {
        std::string_view name; // the symbol's own text, valid for the life of the process
        Symbol symbol;
        bool unique; // differs from every entry before it
        bool bare;   // needs no escaping in a JSON string
    };
    std::optional<Symbol> miss(std::uint32_t index, std::string_view name);

    std::vector<Entry> entries_;
    bool in_sequence_ = false;
};

} // namespace sluice
