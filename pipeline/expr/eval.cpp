#include "pipeline/expr/eval.hpp"

#include "pipeline/expr/functions.hpp"
#include "pipeline/expr/numeric.hpp"
#include "pipeline/expr/scratch.hpp"

#include <array>

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
    case Op::exists:
        out = Value::boolean(event_.has(node.symbol));
        return true;
    case Op::compare_field: {
        bool truth = false;
        if (!condition(index, Op::compare_field, truth)) {
            return false;
        }
        out = Value::boolean(truth);
        return true;
    }
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
    case Op::logical_and:
    case Op::logical_or: {
        bool truth = false;
        if (!condition(index, node.op, truth)) {
            return false;
        }
        out = Value::boolean(truth);
        return true;
    }
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
    case Op::logical_not: {
        bool truth = false;
        if (!condition(index, Op::logical_not, truth)) {
            return false;
        }
        out = Value::boolean(truth);
        return true;
    }
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
    }
    return fail("bad expression node");
}

/// A logical operand of `user`: true, false, or null (which counts as false); anything else is
/// an error. The boolean nodes are evaluated here directly, without a Value in between.
bool Evaluator::condition(std::uint32_t index, Op user, bool& out) {
    const Node& node = program_.nodes[index];
    switch (node.op) {
    case Op::compare_field: {
        Op op = static_cast<Op>(node.fn);
        Value field = event_.get(node.symbol);
        Comparison c = compare_values(op, field, node.value);
        if (c == Comparison::no_order) {
            return order_error(op, field, node.value);
        }
        out = c == Comparison::true_;
        return true;
    }
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
    if (a.is_null() || b.is_null()) {
        out = Value::null();
        return true;
    }
    bool ok = (a.is_numeric() && b.is_numeric()) ||
              (node.op == Op::add && a.is_string() && b.is_string());
    if (!ok) {
        if (node.op == Op::add) {
            return fail("'+' needs two numbers or two strings, got " +
                        std::string(type_name(a.type())) + " and " +
                        std::string(type_name(b.type())));
        }
        return fail(type_error(op_symbol(node.op), "numbers",
                               type_bit(a.is_numeric() ? b.type() : a.type())));
    }
    if (const char* error = arithmetic(node.op, a, b, out, ctx_.scratch().arena)) {
        return fail(error);
    }
    return true;
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
    CallEnv env{scratch.arena, scratch.match,
                f.id == Fn::matches ? &program_.regexes[node.aux] : nullptr};
    if (const char* error = f.impl(args.data(), node.count, out, env)) {
        return fail(error);
    }
    return true;
}

} // namespace sluice::expr
