#include "pipeline/stages/aggregate.hpp"

#include "pipeline/config_node.hpp"
#include "pipeline/stages/stage_support.hpp"

#include <cctype>
#include <cmath>

namespace sluice {
namespace {

struct FnName {
    std::string_view name;
    AggregateFn fn;
};
constexpr FnName kFunctions[] = {
    {"count", AggregateFn::count}, {"sum", AggregateFn::sum},       {"avg", AggregateFn::avg},
    {"min", AggregateFn::min},     {"max", AggregateFn::max},       {"first", AggregateFn::first},
    {"last", AggregateFn::last},   {"stddev", AggregateFn::stddev},
};

std::string_view trim(std::string_view s, std::size_t& offset) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
        ++offset;
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

/// Whether `arg` is a plain field name the expression language would read as one, so window can
/// read it directly instead of evaluating an expression.
bool plain_field(std::string_view arg) {
    if (arg.empty() || !(std::isalpha(static_cast<unsigned char>(arg[0])) || arg[0] == '_')) {
        return false;
    }
    for (char c : arg) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
            return false;
        }
    }
    for (std::string_view word :
         {"true", "false", "null", "and", "or", "not", "in", "now", "ts", "source"}) {
        if (arg == word) {
            return false;
        }
    }
    return arg.back() != '.';
}

bool less(Value a, Value b) {
    if (a.is_int() && b.is_int()) {
        return a.as_int() < b.as_int();
    }
    return a.to_double() < b.to_double();
}

} // namespace

std::optional<AggregateSpec> parse_aggregate(std::string_view out, const ConfigNode& node,
                                             Diagnostics& diagnostics) {
    auto bad = [&](std::string why) {
        diagnostics.error(node.position(), "invalid aggregate '" + std::string(out) + "': " + why);
        return std::nullopt;
    };
    if (!node.is_scalar()) {
        return bad("expected fn(field) such as avg(temp)");
    }
    std::size_t offset = 0; // of `text` in node.text()
    auto text = trim(node.text(), offset);
    auto open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')') {
        return bad("expected fn(field) such as avg(temp)");
    }
    AggregateSpec spec;
    spec.out = intern(out);
    auto name = text.substr(0, open);
    bool known = false;
    for (const auto& f : kFunctions) {
        if (f.name == name) {
            spec.fn = f.fn;
            known = true;
        }
    }
    if (!known) {
        return bad("unknown function '" + std::string(name) +
                   "', expected count, sum, avg, min, max, first, last or stddev");
    }
    offset += open + 1;
    auto arg = trim(text.substr(open + 1, text.size() - open - 2), offset);
    if (arg.empty()) {
        if (spec.fn != AggregateFn::count) {
            return bad(std::string(name) + "() needs a field");
        }
        spec.has_arg = false;
    } else if (plain_field(arg)) {
        spec.field = intern(arg);
    } else {
        spec.expr = Expression::compile(arg, node.text_origin().from(offset), diagnostics);
        if (!spec.expr) {
            return std::nullopt;
        }
    }
    return spec;
}

void Accumulator::reset() {
    n_ = 0;
    sum_ = 0;
    m2_ = 0;
    int_sum_ = 0;
    all_int_ = true;
    held_ = Value::null();
    text_.clear();
}

void Accumulator::hold(Value v) {
    if (v.is_string()) {
        text_.assign(v.as_string());
    }
    held_ = v;
}

void Accumulator::add(AggregateFn fn, Value v) {
    if (v.is_null()) {
        return;
    }
    if (fn == AggregateFn::count) {
        ++n_;
        return;
    }
    if (fn == AggregateFn::first || fn == AggregateFn::last) {
        if (fn == AggregateFn::last || n_ == 0) {
            hold(v);
        }
        ++n_;
        return;
    }
    if (!v.is_numeric() || std::isnan(v.to_double())) {
        return;
    }
    double x = v.to_double();
    ++n_;
    switch (fn) {
    case AggregateFn::sum:
    case AggregateFn::avg:
        sum_ += x;
        if (all_int_ && (!v.is_int() || __builtin_add_overflow(int_sum_, v.as_int(), &int_sum_))) {
            all_int_ = false;
        }
        break;
    case AggregateFn::min:
        if (n_ == 1 || less(v, held_)) {
            held_ = v;
        }
        break;
    case AggregateFn::max:
        if (n_ == 1 || less(held_, v)) {
            held_ = v;
        }
        break;
    case AggregateFn::stddev: {
        // Welford's update: stable where the naive sum of squares cancels catastrophically.
        double delta = x - sum_;
        sum_ += delta / static_cast<double>(n_);
        m2_ += delta * (x - sum_);
        break;
    }
    default:
        break;
    }
}

Value Accumulator::result(AggregateFn fn) const {
    if (fn == AggregateFn::count) {
        return Value::integer(static_cast<std::int64_t>(n_));
    }
    if (n_ == 0) {
        return Value::null();
    }
    switch (fn) {
    case AggregateFn::sum:
        return all_int_ ? Value::integer(int_sum_) : Value::number(sum_);
    case AggregateFn::avg:
        return Value::number(sum_ / static_cast<double>(n_));
    case AggregateFn::stddev:
        return Value::number(std::sqrt(m2_ / static_cast<double>(n_)));
    default:
        // held_'s string view may be stale after a move; text_ is the owner.
        return held_.is_string() ? Value::string(text_) : held_;
    }
}

} // namespace sluice
