#pragma once
// Event times read from data: epoch numbers of any common unit, and RFC 3339 text.

#include "pipeline/event.hpp"

#include <optional>
#include <string_view>

namespace sluice {

/// An epoch number whose unit is told by its magnitude: below 1e11 seconds, below 1e14
/// milliseconds, below 1e17 microseconds, else nanoseconds. Doubles keep their fraction.
/// nullopt when the result does not fit in Nanos or the double is not finite.
std::optional<Nanos> epoch_to_nanos(std::int64_t value);
std::optional<Nanos> epoch_to_nanos(double value);

/// An epoch number written as text: an integer ("1732300000123", read as epoch_to_nanos reads
/// an integer), or an integer part and a fraction ("1732300000.25", "-1.5", read exactly from
/// the decimal digits, in the unit the integer part's magnitude implies; half a nanosecond or
/// more rounds away from zero). nullopt for other text (".5", "5.", "1.2.3", "1e3", "+5",
/// spaces) and for a time that does not fit in Nanos.
std::optional<Nanos> epoch_text_to_nanos(std::string_view text);

/// "2024-03-01T12:00:00.123Z", "2024-03-01 12:00:00+01:00", "2024-03-01T12:00:00" (no offset
/// means UTC). Up to 9 fraction digits are kept.
std::optional<Nanos> parse_rfc3339(std::string_view text);

/// The time a field value gives: an epoch number (as above), or a string holding an epoch
/// number (epoch_text_to_nanos) or RFC 3339 text. nullopt for anything else.
std::optional<Nanos> timestamp_from_value(Value value);

/// Days from 1970-01-01 to the civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

} // namespace sluice
