#pragma once
// A small JSON reader and writer for the status protocol: requests are tiny flat objects and
// replies are a few kilobytes, so a tree of values is the simple and sufficient form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// One parsed JSON value. Objects keep their members in document order; a repeated key keeps
/// its first value for find().
class JsonValue {
public:
    enum class Type { null, boolean, number, string, array, object };

    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::null; }
    bool is_object() const { return type_ == Type::object; }
    bool is_array() const { return type_ == Type::array; }
    bool is_string() const { return type_ == Type::string; }
    bool is_number() const { return type_ == Type::number; }
    bool is_bool() const { return type_ == Type::boolean; }

    bool as_bool() const { return boolean_; }
    double as_double() const { return number_; }
    /// The number as an integer: exact for integers written without fraction or exponent that
    /// fit in 64 bits, truncated otherwise.
    std::int64_t as_int() const;
    std::uint64_t as_uint() const;
    const std::string& as_string() const { return string_; }

    /// Array items, or an empty list for anything else.
    const std::vector<JsonValue>& items() const { return items_; }
    /// The member named `key` of an object, or nullptr.
    const JsonValue* find(std::string_view key) const;
    const std::vector<std::string>& keys() const { return keys_; }

private:
    friend class JsonParser;

    Type type_ = Type::null;
    bool boolean_ = false;
    bool integral_ = false;
    std::int64_t integer_ = 0;
    std::uint64_t unsigned_ = 0;
    double number_ = 0;
    std::string string_;
    std::vector<std::string> keys_; // object member names
    std::vector<JsonValue> items_;  // array items, or object member values
};

/// Parses one JSON document (RFC 8259) with nesting up to `max_depth`. Returns nullopt and sets
/// `error` (what was expected, and the byte offset) on malformed input. Never throws except
/// std::bad_alloc.
std::optional<JsonValue> parse_json(std::string_view text, std::string& error, int max_depth = 16);

/// Appends JSON to a caller-owned string, placing commas itself. The caller nests begin/end
/// calls correctly and writes key() before each value inside an object.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);

    JsonWriter& string(std::string_view text);
    JsonWriter& boolean(bool value);
    JsonWriter& integer(std::int64_t value);
    JsonWriter& unsigned_integer(std::uint64_t value);
    /// A finite double in shortest round-trip form; NaN and infinities as null.
    JsonWriter& number(double value);
    JsonWriter& null();

private:
    void separate();

    std::string& out_;
    bool need_comma_ = false;
};

} // namespace sluice
