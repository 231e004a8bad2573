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
        // Short-circuit: the right operand runs only when the left does not decide.
        bool left = false;
        if (!condition(node.a, node.op, left)) {
            return false;
        }
        if (left == (node.op == Op::logical_or)) {
            out = Value::boolean(left);
            return true;
        }
        bool right = false;
        if (!condition(node.b, node.op, right)) {
            return false;
        }
        out = Value::boolean(right);
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
    case Op::neg:
    case Op::logical_not:
        return unary(node, out);
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

/// A logical operand: true, false, or null (which counts as false); anything else is an error.
bool Evaluator::condition(std::uint32_t index, Op op, bool& out) {
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
    if (op == Op::cond) {
        return fail(type_error("?", "a bool condition", type_bit(v.type())));
    }
    return fail(type_error(op_symbol(op), "bools", type_bit(v.type())));
}

bool Evaluator::compare(const Node& node, Value& out) {
    Value a;
    Value b;
    if (!run(node.a, a) || !run(node.b, b)) {
        return false;
    }
    // Every comparison with null is false, == and != included (SPEC §4); `x == null` written
    // with the literal null compiles to a null test instead.
    if (a.is_null() || b.is_null()) {
        out = Value::boolean(false);
        return true;
    }
    bool ordering = node.op != Op::eq && node.op != Op::ne;
    int c = 0;
    if (a.is_numeric() && b.is_numeric()) {
        c = compare_numbers(a, b);
    } else if (a.type() != b.type()) {
        if (ordering) {
            return fail("'" + std::string(op_symbol(node.op)) + "' cannot compare " +
                        std::string(type_name(a.type())) + " with " +
                        std::string(type_name(b.type())));
        }
        c = kUnordered;
    } else if (a.is_string()) {
        int r = a.as_string().compare(b.as_string());
        c = r < 0 ? -1 : r > 0 ? 1 : 0;
    } else if (ordering) {
        return fail(type_error(op_symbol(node.op), "numbers or strings", kTBool));
    } else {
        c = a.as_bool() == b.as_bool() ? 0 : kUnordered;
    }
    out = Value::boolean(comparison_holds(node.op, c));
    return true;
}

bool Evaluator::unary(const Node& node, Value& out) {
    Value a;
    if (!run(node.a, a)) {
        return false;
    }
    if (node.op == Op::logical_not) {
        if (!a.is_bool() && !a.is_null()) {
            return fail(type_error("!", "a bool", type_bit(a.type())));
        }
        out = Value::boolean(!(a.is_bool() && a.as_bool()));
        return true;
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
