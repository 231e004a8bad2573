#include "pipeline/expr/eval.hpp"

#include "pipeline/expr/functions.hpp"
#include "pipeline/expr/numeric.hpp"
#include "pipeline/expr/scratch.hpp"

#include <array>
#include <cmath>

namespace sluice::expr {

std::string type_names(TypeSet types) {
    std::string out;
    for (auto t : {ValueType::null, ValueType::boolean, ValueType::integer, ValueType::number,
                   ValueType::string}) {
        if (types & type_bit(t)) {
            out += out.empty() ? "" : " or ";
            out += type_name(t);
        }
    }
    return out;
}

std::string type_error(std::string_view what, std::string_view wanted, TypeSet got) {
    return "'" + std::string(what) + "' needs " + std::string(wanted) + ", got " + type_names(got);
}

bool Evaluator::fail(const char* message) {
    ctx_.error = message;
    return false;
}

bool Evaluator::fail(std::string message) {
    ctx_.error = std::move(message);
    return false;
}

bool Evaluator::run(std::uint32_t index, Value& out) {
    const Node& node = program_.nodes[index];
    switch (node.op) {
    case Op::constant:
        out = node.value;
        return true;
    case Op::field:
        out = event_.get(node.symbol);
        return true;
    case Op::compare_field:
    case Op::logical_and:
    case Op::logical_or:
    case Op::logical_not:
        return boolean(index, node.op, out);
    case Op::cond: {
        bool chosen = false;
        if (!condition(node.a, Op::cond, chosen)) {
            return false;
        }
        return run(chosen ? node.b : node.c, out);
    }
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
        return compare(node, out);
    case Op::neg:
        return negate(node, out);
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::mod:
        return binary(node, out);
    case Op::in_list:
        return in_list(node, out);
    case Op::call:
        return call(node, out);
    default:
        return builtin(node, out);
    }
}

bool Evaluator::test(std::uint32_t index, bool& out) {
    Op op = program_.nodes[index].op;
    if (is_condition(op)) {
        return condition(index, op, out);
    }
    Value v;
    if (!run(index, v)) {
        return false;
    }
    out = v.is_bool() && v.as_bool();
    return true;
}

bool Evaluator::boolean(std::uint32_t index, Op op, Value& out) {
    bool truth = false;
    if (!condition(index, op, truth)) {
        return false;
    }
    out = Value::boolean(truth);
    return true;
}

/// exists(), now, ts, source and the null tests.
bool Evaluator::builtin(const Node& node, Value& out) {
    switch (node.op) {
    case Op::exists:
        out = Value::boolean(event_.has(node.symbol));
        return true;
    case Op::now:
        out = Value::integer(ctx_.now);
        return true;
    case Op::ts:
        out = Value::integer(event_.ts());
        return true;
    case Op::source:
        out = Value::string(symbol_name(event_.source()));
        return true;
    case Op::is_null:
    case Op::not_null:
        if (!run(node.a, out)) {
            return false;
        }
        out = Value::boolean(out.is_null() == (node.op == Op::is_null));
        return true;
    default:
        return fail("bad expression node");
    }
}

namespace {

/// String equality without a call to memcmp for the short strings conditions usually hold.
inline bool same_text(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.size() > 16) {
        return a == b;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

/// `field OP constant`: the commonest condition, so operands of matching kinds take a short path
/// inlined into condition(); everything else (null, mixed types) goes to compare_field_slow().
[[gnu::always_inline]] inline bool Evaluator::compare_field(const Node& node, bool& out) {
    Value field = event_.get(node.symbol);
    const Value& constant = node.value;
    int c = kUnordered;
    if (field.is_numeric() && constant.is_numeric()) {
        c = compare_numbers(field, constant);
    } else if (field.is_string() && constant.is_string()) {
        std::string_view a = field.as_string();
        std::string_view b = constant.as_string();
        if (static_cast<Op>(node.fn) == Op::eq || static_cast<Op>(node.fn) == Op::ne) {
            c = same_text(a, b) ? 0 : kUnordered;
        } else {
            int r = a.compare(b);
            c = (r > 0) - (r < 0);
        }
    } else {
        return compare_field_slow(node, field, out);
    }
    out = (node.aux >> (c + 1)) & 1u;
    return true;
}

bool Evaluator::compare_field_slow(const Node& node, const Value& field, bool& out) {
    Op op = static_cast<Op>(node.fn);
    Comparison slow = compare_values(op, field, node.value);
    if (slow == Comparison::no_order) {
        return order_error(op, field, node.value);
    }
    out = slow == Comparison::true_;
    return true;
}

/// A logical operand of `user`: true, false, or null (which counts as false); anything else is
/// an error. The boolean nodes are evaluated here directly, without a Value in between.
bool Evaluator::condition(std::uint32_t index, Op user, bool& out) {
    const Node& node = program_.nodes[index];
    switch (node.op) {
    case Op::compare_field:
        return compare_field(node, out);
    case Op::logical_and:
    case Op::logical_or:
        // Short-circuit: the right operand runs only when the left does not decide.
        if (!condition(node.a, node.op, out)) {
            return false;
        }
        if (out == (node.op == Op::logical_or)) {
            return true;
        }
        return condition(node.b, node.op, out);
    case Op::logical_not:
        if (!condition(node.a, Op::logical_not, out)) {
            return false;
        }
        out = !out;
        return true;
    default:
        break;
    }
    Value v;
    if (!run(index, v)) {
        return false;
    }
    if (v.is_bool()) {
        out = v.as_bool();
        return true;
    }
    if (v.is_null()) {
        out = false;
        return true;
    }
    if (user == Op::cond) {
        return fail(type_error("?", "a bool condition", type_bit(v.type())));
    }
    if (user == Op::logical_not) {
        return fail(type_error("!", "a bool", type_bit(v.type())));
    }
    return fail(type_error(op_symbol(user), "bools", type_bit(v.type())));
}

bool Evaluator::compare(const Node& node, Value& out) {
    Value a;
    Value b;
    if (!run(node.a, a) || !run(node.b, b)) {
        return false;
    }
    return compare_result(node.op, a, b, out);
}

bool Evaluator::compare_result(Op op, const Value& a, const Value& b, Value& out) {
    // Every comparison with null is false, == and != included (SPEC §4); `x == null` written
    // with the literal null compiles to a null test instead.
    Comparison c = compare_values(op, a, b);
    if (c == Comparison::no_order) {
        return order_error(op, a, b);
    }
    out = Value::boolean(c == Comparison::true_);
    return true;
}

bool Evaluator::order_error(Op op, const Value& a, const Value& b) {
    if (a.type() == b.type()) {
        return fail(type_error(op_symbol(op), "numbers or strings", type_bit(a.type())));
    }
    return fail("'" + std::string(op_symbol(op)) + "' cannot compare " +
                std::string(type_name(a.type())) + " with " + std::string(type_name(b.type())));
}

bool Evaluator::negate(const Node& node, Value& out) {
    Value a;
    if (!run(node.a, a)) {
        return false;
    }
    if (a.is_null()) {
        out = a;
    } else if (a.is_int()) {
        if (a.as_int() == INT64_MIN) {
            return fail("integer overflow");
        }
        out = Value::integer(-a.as_int());
    } else if (a.is_double()) {
        out = Value::number(-a.as_double());
    } else {
        return fail(type_error("-", "a number", type_bit(a.type())));
    }
    return true;
}

bool Evaluator::binary(const Node& node, Value& out) {
    Value a;
    Value b;
    if (!run(node.a, a) || !run(node.b, b)) {
        return false;
    }
    // Doubles (or a double and an int) with + - *: the common case of sensor arithmetic,
    // computed here rather than through arithmetic()'s general dispatch.
    if (a.is_numeric() && b.is_numeric() && !(a.is_int() && b.is_int()) &&
        (node.op == Op::add || node.op == Op::sub || node.op == Op::mul)) {
        double x = a.to_double();
        double y = b.to_double();
        double r = node.op == Op::add ? x + y : node.op == Op::sub ? x - y : x * y;
        if (!std::isfinite(r) && std::isfinite(x) && std::isfinite(y)) {
            return fail("number overflow");
        }
        out = Value::number(r);
        return true;
    }
    if (a.is_null() || b.is_null()) {
        out = Value::null();
        return true;
    }
    bool ok = (a.is_numeric() && b.is_numeric()) ||
              (node.op == Op::add && a.is_string() && b.is_string());
    if (!ok) {
        return arithmetic_type_error(node.op, a, b);
    }
    if (const char* error = arithmetic(node.op, a, b, out, ctx_.scratch().arena)) {
        return fail(error);
    }
    return true;
}

bool Evaluator::arithmetic_type_error(Op op, const Value& a, const Value& b) {
    if (op == Op::add) {
        return fail("'+' needs two numbers or two strings, got " +
                    std::string(type_name(a.type())) + " and " + std::string(type_name(b.type())));
    }
    return fail(
        type_error(op_symbol(op), "numbers", type_bit(a.is_numeric() ? b.type() : a.type())));
}

bool Evaluator::in_list(const Node& node, Value& out) {
    Value a;
    if (!run(node.a, a)) {
        return false;
    }
    for (std::uint32_t i = 0; i < node.count; ++i) {
        std::uint32_t element = program_.kids[node.first + i];
        Value e;
        if (!run(element, e)) {
            return false;
        }
        // A literal null in the list matches a null operand, as `x == null` does.
        bool literal_null = program_.nodes[element].op == Op::constant && e.is_null();
        if (a.is_null() ? literal_null : (!e.is_null() && a == e)) {
            out = Value::boolean(true);
            return true;
        }
    }
    out = Value::boolean(false);
    return true;
}

bool Evaluator::call(const Node& node, Value& out) {
    const FunctionInfo& f = function_info(static_cast<Fn>(node.fn));
    std::array<Value, kMaxArguments> args;
    bool any_null = false;
    for (std::uint32_t i = 0; i < node.count; ++i) {
        if (!run(program_.kids[node.first + i], args[i])) {
            return false;
        }
        any_null = any_null || args[i].is_null();
    }
    // Every function returns null for a null argument (exists() compiles to its own node).
    if (any_null) {
        out = Value::null();
        return true;
    }
    for (std::uint32_t i = 0; i < node.count; ++i) {
        if (!(type_bit(args[i].type()) & f.args)) {
            return fail(type_error(f.name, describe_types(f.args), type_bit(args[i].type())));
        }
    }
    EvalContext::Scratch& scratch = ctx_.scratch();
    CallEnv env{scratch.arena, scratch.matcher,
                f.id == Fn::matches ? &program_.patterns[node.aux] : nullptr};
    if (const char* error = f.impl(args.data(), node.count, out, env)) {
        return fail(error);
    }
    return true;
}

} // namespace sluice::expr
