#pragma once
// The value of one event field: null, bool, int64, double or string.

#include <cstdint>
#include <string_view>

namespace sluice {

enum class ValueType : std::uint8_t { null, boolean, integer, number, string };

/// The name of a type as it appears in error messages ("null", "bool", "int", "double", "string").
std::string_view type_name(ValueType type);

/// A field value. Strings are views: a Value read from an Event points into that event's storage
/// and is valid until the event is modified or destroyed.
class Value {
public:
    constexpr Value() : type_(ValueType::null), i_(0) {}
    constexpr static Value null() { return Value{}; }
    constexpr static Value boolean(bool b) {
        Value v;
        v.type_ = ValueType::boolean;
        v.b_ = b;
        return v;
    }
    constexpr static Value integer(std::int64_t i) {
        Value v;
        v.type_ = ValueType::integer;
        v.i_ = i;
        return v;
    }
    constexpr static Value number(double d) {
        Value v;
        v.type_ = ValueType::number;
        v.d_ = d;
        return v;
    }
    constexpr static Value string(std::string_view s) {
        Value v;
        v.type_ = ValueType::string;
        v.s_ = s;
        return v;
    }

    constexpr ValueType type() const { return type_; }
    constexpr bool is_null() const { return type_ == ValueType::null; }
    constexpr bool is_bool() const { return type_ == ValueType::boolean; }
    constexpr bool is_int() const { return type_ == ValueType::integer; }
    constexpr bool is_double() const { return type_ == ValueType::number; }
    constexpr bool is_numeric() const { return is_int() || is_double(); }
    constexpr bool is_string() const { return type_ == ValueType::string; }

    constexpr bool as_bool() const { return b_; }
    constexpr std::int64_t as_int() const { return i_; }
    constexpr double as_double() const { return d_; }
    constexpr std::string_view as_string() const { return s_; }
    /// The numeric value as a double; only meaningful when is_numeric().
    constexpr double to_double() const { return is_int() ? static_cast<double>(i_) : d_; }

    /// Strict equality: same type and same value, except that int and double compare by value.
    friend bool operator==(const Value& a, const Value& b);

private:
    ValueType type_;
    union {
        bool b_;
        std::int64_t i_;
        double d_;
        std::string_view s_;
    };
};

} // namespace sluice
