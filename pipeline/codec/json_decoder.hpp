#pragma once
// One JSON object per frame into one event.

#include "pipeline/codec/decoder.hpp"
#include "pipeline/codec/symbol_cache.hpp"

#include <cstdint>
#include <string>

namespace sluice {

/// Decodes a frame holding one JSON object (RFC 8259). Nested objects flatten to dotted names
/// ({"room":{"temp":1}} gives room.temp), array items to their index (a.0, a.1). Integers that
/// fit int64 become ints, other numbers doubles. Strings must be valid UTF-8. Errors: nesting
/// deeper than kMaxDepth, anything but whitespace after the object, a frame that is not an
/// object, a full symbol table. A single pass over the frame; no allocation once the scratch
/// buffers have grown to the stream's frame size.
class JsonDecoder final : public Decoder {
public:
    static constexpr int kMaxDepth = 32;

    DecodeStatus decode(std::string_view frame, Event& out, std::string& error) override;

private:
    bool parse_object(int depth);
    bool parse_array(int depth);
    /// Parses the value of the field named `name` (name_ or a top-level key), whose symbol is
    /// `known` when take_expected_key() recognised the key.
    bool parse_member(std::string_view name, int depth, const SymbolCache::Found* known);
    /// At a top-level key: when it is the key the symbol cache expects next, consumes it, its
    /// colon and the space after, gives its symbol and returns its name; else returns empty.
    std::string_view take_expected_key(SymbolCache::Found& found);
    bool parse_scalar(Value& value);
    bool parse_string(std::string_view& text, std::string& buffer);
    bool parse_escape(std::string& buffer);
    bool parse_number(Value& value);
    bool parse_exponent(int& exponent);
    bool parse_literal(std::string_view word);
    bool set_field(std::string_view name, Value value);
    void append_field(SymbolCache::Found found, Value value);
    bool fail(const char* what);
    void skip_space();

    const char* begin_ = nullptr;
    const char* p_ = nullptr;
    const char* end_ = nullptr;
    Event* out_ = nullptr;
    std::string* error_ = nullptr;
    std::uint32_t leaf_ = 0; // index of the next field in the frame, for the symbol cache
    std::string name_;       // the dotted name of the member being parsed
    std::string key_;        // an unescaped key
    std::string scratch_;    // an unescaped string value
    SymbolCache symbols_;
};

} // namespace sluice
