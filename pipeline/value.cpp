#include "pipeline/value.hpp"

namespace sluice {

std::string_view type_name(ValueType type) {
    switch (type) {
    case ValueType::null:
        return "null";
    case ValueType::boolean:
        return "bool";
    case ValueType::integer:
        return "int";
    case ValueType::number:
        return "double";
    case ValueType::string:
        return "string";
    }
    return "?";
}

bool operator==(const Value& a, const Value& b) {
    if (a.is_numeric() && b.is_numeric()) {
        if (a.is_int() && b.is_int()) {
            return a.as_int() == b.as_int();
        }
        return a.to_double() == b.to_double();
    }
    if (a.type() != b.type()) {
        return false;
    }
    switch (a.type()) {
    case ValueType::null:
        return true;
    case ValueType::boolean:
        return a.as_bool() == b.as_bool();
    case ValueType::string:
        return a.as_string() == b.as_string();
    default:
        return false;
    }
}

} // namespace sluice
