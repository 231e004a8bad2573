#pragma once
// InfluxDB line protocol, one line per frame.

#include "pipeline/codec/decoder.hpp"
#include "pipeline/codec/symbol_cache.hpp"

#include <string>

namespace sluice {

/// Decodes `measurement,tag=v field=1i,f2=2.5,s="x",b=t 1700000000000000000`. The measurement
/// becomes the string field `measurement`, tags become string fields, then the fields: 1i an
/// int, 1u an unsigned that must fit int64, t/true/f/false (any case as Influx allows) bools,
/// "..." strings, anything else a double. The optional timestamp (ns) sets the event's ts.
/// Backslash escapes commas, spaces and equals signs in names and tag values, quotes and
/// backslashes in strings. Blank lines and # comments are skipped.
class InfluxDecoder final : public Decoder {
public:
    InfluxDecoder() : measurement_(intern("measurement")) {}
    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;

private:
    bool read_tags(Event& out, std::string& error);
    bool read_fields(Event& out, std::string& error);
    bool read_value(Value& value, std::string& error);
    /// Reads up to an unescaped character of `stops` (or the end), unescaping into `buffer`
    /// only when the token holds a backslash.
    std::string_view token(std::string_view stops, std::string& buffer);
    bool field_symbol(std::string_view name, Symbol& symbol, std::string& error);

    std::string_view line_;
    std::size_t i_ = 0;
    std::uint32_t index_ = 0;
    Symbol measurement_;
    std::string key_;
    std::string value_;
    SymbolCache symbols_;
};

} // namespace sluice
