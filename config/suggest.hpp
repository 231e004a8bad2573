#pragma once
// Wording helpers shared by every config message: did-you-mean suggestions, lists of valid
// choices, and values quoted safely into a one-line message.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// Edit distance between `a` and `b`: insert, delete, substitute and swapping two neighbouring
/// characters each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo (distance at
/// most a third of the word's length, and at least 1), else nullopt.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

/// "a, b, c" in the given order, each item made printable.
std::string join_list(std::span<const std::string_view> items);

/// `text` for a message: control characters escaped, long texts cut to 60 characters with
/// "...", so a message always stays on one line.
std::string printable(std::string_view text);

/// printable(text) in single quotes.
std::string quote(std::string_view text);

/// " (did you mean 'x'?)" when a candidate is close to `word`, else "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

/// Copies the views into a vector, for building candidate lists from strings.
std::vector<std::string_view> views_of(const std::vector<std::string>& items);

} // namespace sluice
