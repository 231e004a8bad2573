#pragma once
// The aggregate functions of window: `out: "avg(temp)"` parsed once, then accumulated per
// window without allocating.

#include "pipeline/config_node.hpp"
#include "pipeline/diagnostics.hpp"
#include "pipeline/expr/expression.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

enum class AggregateFn : std::uint8_t { count, sum, avg, min, max, first, last, stddev };

/// One entry of window's `aggregate:` mapping.
struct AggregateSpec {
    Symbol out = 0;
    AggregateFn fn = AggregateFn::count;
    /// The argument when it is a plain field name (the fast path); 0 otherwise.
    Symbol field = 0;
    /// The argument when it is any other expression.
    std::optional<Expression> expr;
    /// False only for `count()`, which counts events rather than values.
    bool has_arg = true;
};

/// Parses `text` ("fn(arg)", the value of `aggregate: {out: ...}`), which stands at `node`.
/// Reports problems and returns nullopt.
std::optional<AggregateSpec> parse_aggregate(std::string_view out, const ConfigNode& node,
                                             Diagnostics& diagnostics);

/// The running state of one aggregate over one window. Null arguments are skipped by every
/// function (count(field) counts non-null values); the numeric functions also skip values
/// that are not numbers, and NaN. Strings are kept (first, last) in a buffer whose capacity is
/// reused from window to window.
class Accumulator {
public:
    void reset();
    void add(AggregateFn fn, Value v);
    /// The aggregate's value; null when no value was added (except count, which is 0).
    /// A string result views this accumulator's buffer.
    Value result(AggregateFn fn) const;

private:
    void hold(Value v);

    std::uint64_t n_ = 0;
    double sum_ = 0; // the sum, or the running mean for stddev
    double m2_ = 0;  // Welford's sum of squared deviations, for stddev
    std::int64_t int_sum_ = 0;
    bool all_int_ = true;
    Value held_; // min, max, first, last; a string lives in text_
    std::string text_;
};

} // namespace sluice
