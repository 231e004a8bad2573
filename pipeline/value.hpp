#pragma once
// The value of one event field: null, bool, int64, double or string.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice {

enum class ValueType : std::uint8_t { null, boolean, integer, number, string };

/// The name of a type as it appears in error messages ("null", "bool", "int", "double", "string").
std::string_view type_name(ValueType type);

/// A field value. Strings are views: a Value read from an Event points into that event's storage
/// and is valid until the event is modified or destroyed.
///
/// Two 64-bit words, so a Value passed or returned by value travels in two registers (at 24
/// bytes, with a std::string_view inside, every call on the hot path went through the stack).
/// Every constructor writes both words whole: a Value stored byte by byte and read back as a
/// word stalls the processor's store forwarding. Strings are therefore limited to 4 GiB - 1,
/// far beyond what an event holds (Event::kMaxStringLength).
class Value {
public:
    static constexpr std::size_t kMaxStringLength = UINT32_MAX;

    constexpr Value() : i_(0), tag_(tag(ValueType::null, 0)) {}
    constexpr static Value null() { return Value{}; }
    constexpr static Value boolean(bool b) {
        Value v;
        v.i_ = b ? 1 : 0;
        v.tag_ = tag(ValueType::boolean, 0);
        return v;
    }
    constexpr static Value integer(std::int64_t i) {
        Value v;
        v.i_ = i;
        v.tag_ = tag(ValueType::integer, 0);
        return v;
    }
    constexpr static Value number(double d) {
        Value v;
        v.d_ = d;
        v.tag_ = tag(ValueType::number, 0);
        return v;
    }
    constexpr static Value string(std::string_view s) {
        Value v;
        v.chars_ = s.data();
        v.tag_ = tag(ValueType::string, s.size() < kMaxStringLength ? s.size() : kMaxStringLength);
        return v;
    }

    constexpr ValueType type() const { return static_cast<ValueType>(tag_ & 0xFF); }
    constexpr bool is_null() const { return type() == ValueType::null; }
    constexpr bool is_bool() const { return type() == ValueType::boolean; }
    constexpr bool is_int() const { return type() == ValueType::integer; }
    constexpr bool is_double() const { return type() == ValueType::number; }
    constexpr bool is_numeric() const { return is_int() || is_double(); }
    constexpr bool is_string() const { return type() == ValueType::string; }

    constexpr bool as_bool() const { return i_ != 0; }
    constexpr std::int64_t as_int() const { return i_; }
    constexpr double as_double() const { return d_; }
    constexpr std::string_view as_string() const { return {chars_, tag_ >> 32}; }
    /// The numeric value as a double; only meaningful when is_numeric().
    constexpr double to_double() const { return is_int() ? static_cast<double>(i_) : d_; }

    /// Strict equality: same type and same value, except that int and double compare by value.
    friend bool operator==(const Value& a, const Value& b);

private:
    /// The type in the low byte, a string's length in the high 32 bits.
    static constexpr std::uint64_t tag(ValueType type, std::uint64_t length) {
        return static_cast<std::uint64_t>(type) | length << 32;
    }

    union {
        std::int64_t i_; // also a boolean, as 0 or 1
        double d_;
        const char* chars_;
    };
    std::uint64_t tag_;
};
static_assert(sizeof(Value) == 16, "two registers; see the class comment");

} // namespace sluice
