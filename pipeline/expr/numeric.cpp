#include "pipeline/expr/numeric.hpp"

#include "pipeline/event.hpp"
#include "pipeline/expr/scratch.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace sluice::expr {
namespace {

const char* string_concat(const Value& a, const Value& b, Value& out, Arena& arena) {
    std::string_view x = a.as_string();
    std::string_view y = b.as_string();
    if (x.size() + y.size() > Event::kMaxStringLength) {
        return "string too long";
    }
    char* p = arena.allocate(x.size() + y.size());
    std::memcpy(p, x.data(), x.size());
    std::memcpy(p + x.size(), y.data(), y.size());
    out = Value::string({p, x.size() + y.size()});
    return nullptr;
}

const char* integer_arithmetic(Op op, std::int64_t x, std::int64_t y, Value& out) {
    std::int64_t r = 0;
    bool overflow = false;
    switch (op) {
    case Op::add:
        overflow = __builtin_add_overflow(x, y, &r);
        break;
    case Op::sub:
        overflow = __builtin_sub_overflow(x, y, &r);
        break;
    case Op::mul:
        overflow = __builtin_mul_overflow(x, y, &r);
        break;
    case Op::mod:
        if (y == 0) {
            return "modulo by zero";
        }
        // INT64_MIN % -1 traps on x86 although its value is 0.
        r = y == -1 ? 0 : x % y;
        break;
    default:
        return "bad operator";
    }
    if (overflow) {
        return "integer overflow";
    }
    out = Value::integer(r);
    return nullptr;
}

const char* double_arithmetic(Op op, double x, double y, Value& out) {
    double r = 0;
    switch (op) {
    case Op::add:
        r = x + y;
        break;
    case Op::sub:
        r = x - y;
        break;
    case Op::mul:
        r = x * y;
        break;
    case Op::div:
        if (y == 0) {
            return "division by zero";
        }
        r = x / y;
        break;
    case Op::mod:
        if (y == 0) {
            return "modulo by zero";
        }
        r = std::fmod(x, y);
        break;
    default:
        return "bad operator";
    }
    if (!std::isfinite(r) && std::isfinite(x) && std::isfinite(y)) {
        return "number overflow";
    }
    out = Value::number(r);
    return nullptr;
}

} // namespace

const char* arithmetic(Op op, const Value& a, const Value& b, Value& out, Arena& arena) {
    if (a.is_numeric() && b.is_numeric()) {
        // Division is always true division, so 7 / 2 is 3.5 whatever the operand types.
        if (a.is_int() && b.is_int() && op != Op::div) {
            return integer_arithmetic(op, a.as_int(), b.as_int(), out);
        }
        return double_arithmetic(op, a.to_double(), b.to_double(), out);
    }
    if (op == Op::add && a.is_string() && b.is_string()) {
        return string_concat(a, b, out, arena);
    }
    return nullptr; // the caller checked the types; unreachable
}

const char* to_integer(double x, Value& out) {
    // 2^63 is exactly representable; every double below it converts without overflow.
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) {
        return "number out of integer range";
    }
    out = Value::integer(static_cast<std::int64_t>(x));
    return nullptr;
}

Value parse_number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    const char* b = text.data();
    const char* e = b + text.size();
    if (!text.empty() && text.front() == '+') {
        ++b; // from_chars rejects a leading '+', people write one
    }
    std::int64_t i = 0;
    auto ri = std::from_chars(b, e, i);
    if (ri.ec == std::errc{} && ri.ptr == e && b != e) {
        return Value::integer(i);
    }
    double d = 0;
    auto rd = std::from_chars(b, e, d);
    if (rd.ec == std::errc{} && rd.ptr == e && b != e && std::isfinite(d)) {
        return Value::number(d);
    }
    return Value::null();
}

std::string_view format_double(double x, char* buffer, std::size_t size) {
    auto r = std::to_chars(buffer, buffer + size, x);
    return {buffer, static_cast<std::size_t>(r.ptr - buffer)};
}

std::string_view op_symbol(Op op) {
    switch (op) {
    case Op::neg:
    case Op::sub:
        return "-";
    case Op::logical_not:
        return "!";
    case Op::add:
        return "+";
    case Op::mul:
        return "*";
    case Op::div:
        return "/";
    case Op::mod:
        return "%";
    case Op::eq:
    case Op::is_null:
        return "==";
    case Op::ne:
    case Op::not_null:
        return "!=";
    case Op::lt:
        return "<";
    case Op::le:
        return "<=";
    case Op::gt:
        return ">";
    case Op::ge:
        return ">=";
    case Op::logical_and:
        return "&&";
    case Op::logical_or:
        return "||";
    case Op::in_list:
        return "in";
    default:
        return "?";
    }
}

} // namespace sluice::expr
