#pragma once
// Interned names: field names and component names are compared as integers on the hot path.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice {

/// An interned name. Symbols are process-wide, stable for the life of the process, and cheap to
/// copy and compare. Symbol 0 is the empty name.
using Symbol = std::uint32_t;

/// The most distinct names, and the most bytes of names, the process will intern from data.
/// Hostile input with ever-new field names stops here instead of growing memory without bound
/// (a byte budget too, since one name may be as long as a frame); decoders report such frames
/// as errors.
inline constexpr std::uint32_t kMaxSymbols = 1u << 20;
inline constexpr std::size_t kMaxSymbolBytes = std::size_t{16} << 20;

/// Returns the symbol for `name`, interning it on first use. Returns nullopt when the table is
/// full (kMaxSymbols names, or kMaxSymbolBytes of them). Never throws except std::bad_alloc.
std::optional<Symbol> try_intern(std::string_view name);

/// Like try_intern, for names that come from configuration rather than from data: the table
/// limit does not apply.
Symbol intern(std::string_view name);

/// Returns the symbol for `name` if it was interned before, without interning it.
std::optional<Symbol> find_symbol(std::string_view name);

/// The text of a symbol. The view stays valid for the life of the process.
std::string_view symbol_name(Symbol symbol);

} // namespace sluice
