#include "pipeline/expr/functions.hpp"

#include "pipeline/expr/numeric.hpp"
#include "pipeline/expr/scratch.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace sluice::expr {
namespace {

using F = FunctionInfo;

const char* fn_abs(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    if (a[0].is_int()) {
        if (a[0].as_int() == INT64_MIN) {
            return "integer overflow in abs()";
        }
        out = Value::integer(a[0].as_int() < 0 ? -a[0].as_int() : a[0].as_int());
    } else {
        out = Value::number(std::fabs(a[0].as_double()));
    }
    return nullptr;
}

template <bool kMin>
const char* fn_min_max(const Value* a, std::uint32_t n, Value& out, CallEnv&) {
    out = a[0];
    for (std::uint32_t i = 1; i < n; ++i) {
        int c = compare_numbers(a[i], out);
        if (kMin ? c < 0 : c > 0) {
            out = a[i];
        }
    }
    return nullptr;
}

const char* fn_round(const Value* a, std::uint32_t n, Value& out, CallEnv&) {
    if (n == 1) {
        if (a[0].is_int()) {
            out = a[0];
            return nullptr;
        }
        return to_integer(std::round(a[0].as_double()), out);
    }
    if (!a[1].is_int() || a[1].as_int() < 0 || a[1].as_int() > 15) {
        return "round() digits must be an int from 0 to 15";
    }
    double scale = std::pow(10.0, static_cast<double>(a[1].as_int()));
    double x = a[0].to_double();
    double r = std::round(x * scale) / scale;
    out = Value::number(std::isfinite(r) ? r : x);
    return nullptr;
}

template <double (*kRound)(double)>
const char* fn_round_to(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    if (a[0].is_int()) {
        out = a[0];
        return nullptr;
    }
    return to_integer(kRound(a[0].as_double()), out);
}

double std_floor(double x) {
    return std::floor(x);
}
double std_ceil(double x) {
    return std::ceil(x);
}

const char* fn_sqrt(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    double x = a[0].to_double();
    if (x < 0) {
        return "sqrt() of a negative number";
    }
    out = Value::number(std::sqrt(x));
    return nullptr;
}

const char* fn_pow(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    double r = std::pow(a[0].to_double(), a[1].to_double());
    if (std::isnan(r)) {
        return "pow() result is not a number";
    }
    if (std::isinf(r)) {
        return "pow() overflows";
    }
    out = Value::number(r);
    return nullptr;
}

const char* fn_clamp(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    if (compare_numbers(a[1], a[2]) > 0) {
        return "clamp() low bound is above its high bound";
    }
    out = compare_numbers(a[0], a[1]) < 0 ? a[1] : compare_numbers(a[0], a[2]) > 0 ? a[2] : a[0];
    return nullptr;
}

const char* fn_to_number(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    switch (a[0].type()) {
    case ValueType::boolean:
        out = Value::integer(a[0].as_bool() ? 1 : 0);
        return nullptr;
    case ValueType::string:
        out = parse_number(a[0].as_string());
        return nullptr;
    default:
        out = a[0];
        return nullptr;
    }
}

const char* fn_to_string(const Value* a, std::uint32_t, Value& out, CallEnv& env) {
    out = Value::string(value_to_string(a[0], env.arena));
    return nullptr;
}

template <char (*kMap)(char)>
const char* fn_map_chars(const Value* a, std::uint32_t, Value& out, CallEnv& env) {
    std::string_view s = a[0].as_string();
    char* p = string_space(env.arena, s.size());
    std::transform(s.begin(), s.end(), p, kMap);
    out = Value::string({p, s.size()});
    return nullptr;
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
char ascii_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

const char* fn_contains(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    out = Value::boolean(a[0].as_string().find(a[1].as_string()) != std::string_view::npos);
    return nullptr;
}
const char* fn_starts_with(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    out = Value::boolean(a[0].as_string().starts_with(a[1].as_string()));
    return nullptr;
}
const char* fn_ends_with(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    out = Value::boolean(a[0].as_string().ends_with(a[1].as_string()));
    return nullptr;
}

const char* fn_matches(const Value* a, std::uint32_t, Value& out, CallEnv& env) {
    bool found = false;
    const char* error = env.matcher.search(*env.pattern, a[0].as_string(), found);
    out = Value::boolean(found);
    return error;
}

const char* fn_len(const Value* a, std::uint32_t, Value& out, CallEnv&) {
    out = Value::integer(static_cast<std::int64_t>(a[0].as_string().size()));
    return nullptr;
}

constexpr TypeSet kAll = kTBool | kTNumber | kTString;

// Sorted by name; find_function() searches it in order.
constexpr std::array<F, 23> kFunctions{{
    {"abs", Fn::abs, 1, 1, kTNumber, kTNumber, fn_abs},
    {"ceil", Fn::ceil, 1, 1, kTNumber, kTInt, fn_round_to<std_ceil>},
    {"clamp", Fn::clamp, 3, 3, kTNumber, kTNumber, fn_clamp},
    {"contains", Fn::contains, 2, 2, kTString, kTBool, fn_contains},
    {"ends_with", Fn::ends_with, 2, 2, kTString, kTBool, fn_ends_with},
    {"exists", Fn::exists, 1, 1, kAll, kTBool, nullptr},
    {"field", Fn::field, 1, 1, kTString, kTAny, nullptr},
    {"floor", Fn::floor, 1, 1, kTNumber, kTInt, fn_round_to<std_floor>},
    {"len", Fn::len, 1, 1, kTString, kTInt, fn_len},
    {"lower", Fn::lower, 1, 1, kTString, kTString, fn_map_chars<ascii_lower>},
    {"matches", Fn::matches, 2, 2, kTString, kTBool, fn_matches},
    {"max", Fn::max, 2, kVariadic, kTNumber, kTNumber, fn_min_max<false>},
    {"min", Fn::min, 2, kVariadic, kTNumber, kTNumber, fn_min_max<true>},
    {"now", Fn::now, 0, 0, kAll, kTInt, nullptr},
    {"pow", Fn::pow, 2, 2, kTNumber, kTDouble, fn_pow},
    {"round", Fn::round, 1, 2, kTNumber, kTNumber, fn_round},
    {"source", Fn::source, 0, 0, kAll, kTString, nullptr},
    {"sqrt", Fn::sqrt, 1, 1, kTNumber, kTDouble, fn_sqrt},
    {"starts_with", Fn::starts_with, 2, 2, kTString, kTBool, fn_starts_with},
    {"to_number", Fn::to_number, 1, 1, kAll, kTNumber, fn_to_number},
    {"to_string", Fn::to_string, 1, 1, kAll, kTString, fn_to_string},
    {"ts", Fn::ts, 0, 0, kAll, kTInt, nullptr},
    {"upper", Fn::upper, 1, 1, kTString, kTString, fn_map_chars<ascii_upper>},
}};

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

const FunctionInfo* find_function(std::string_view name) {
    for (const auto& f : kFunctions) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

const FunctionInfo& function_info(Fn id) {
    // Indexed by id, since every call node looks its function up on each evaluation.
    static constexpr auto kById = [] {
        std::array<const FunctionInfo*, kFunctions.size()> by_id{};
        for (const auto& f : kFunctions) {
            by_id[static_cast<std::size_t>(f.id)] = &f;
        }
        return by_id;
    }();
    return *kById[static_cast<std::size_t>(id)];
}

std::string_view suggest_function(std::string_view name) {
    std::string_view best;
    std::size_t best_distance = 3;
    for (const auto& f : kFunctions) {
        std::size_t d = edit_distance(name, f.name);
        // Short names need a closer match, or "ab" would suggest everything.
        if (d < best_distance && d * 3 <= std::max(name.size(), f.name.size())) {
            best = f.name;
            best_distance = d;
        }
    }
    return best;
}

std::string describe_types(TypeSet types) {
    types = static_cast<TypeSet>(types & ~kTNull);
    if (types == kTNumber || types == kTInt || types == kTDouble) {
        return "a number";
    }
    if (types == kTString) {
        return "a string";
    }
    if (types == kTBool) {
        return "a bool";
    }
    if (types == (kTNumber | kTString)) {
        return "numbers or strings";
    }
    return "a value";
}

char* string_space(Arena& arena, std::size_t length) {
    return arena.allocate(length);
}

std::string_view value_to_string(const Value& v, Arena& arena) {
    char buffer[32];
    std::string_view text;
    switch (v.type()) {
    case ValueType::null:
        return "null";
    case ValueType::boolean:
        return v.as_bool() ? "true" : "false";
    case ValueType::string:
        return v.as_string();
    case ValueType::integer: {
        auto r = std::to_chars(buffer, buffer + sizeof buffer, v.as_int());
        text = {buffer, static_cast<std::size_t>(r.ptr - buffer)};
        break;
    }
    case ValueType::number:
        text = format_double(v.as_double(), buffer, sizeof buffer);
        break;
    }
    char* p = arena.allocate(text.size());
    std::memcpy(p, text.data(), text.size());
    return {p, text.size()};
}

} // namespace sluice::expr
