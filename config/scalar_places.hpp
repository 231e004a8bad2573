#pragma once
// Where each byte of a scalar's value stands in the file, for scalars whose value is not a
// plain copy of one stretch of a line: blocks (`|`, `>`), folded or quoted values over several
// lines, and quoted values with escapes.

#include "pipeline/diagnostics.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace sluice {

/// Follows `value` (as yaml-cpp produced it) through `source` from `pos`, where yaml-cpp marked
/// the scalar (its first character, opening quote or block indicator), which is at `first` in
/// the file. Returns one Position per byte of `value` and one for its end.
///
/// Returns an empty vector when no map is needed: the value is its source text as written on
/// one line (after an opening quote), so columns count from the start. Also empty when the
/// value cannot be followed through the source (a construct this does not know); positions
/// then count from the start too, as before.
std::vector<Position> scalar_places(std::string_view source, std::size_t pos, Position first,
                                    std::string_view value);

} // namespace sluice
