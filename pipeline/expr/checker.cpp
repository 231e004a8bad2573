#include "pipeline/expr/checker.hpp"

#include "pipeline/expr/eval.hpp"
#include "pipeline/expr/functions.hpp"
#include "pipeline/expr/numeric.hpp"
#include "pipeline/expr/parser.hpp"
#include "pipeline/expr/pattern.hpp"
#include "pipeline/expr/scratch.hpp"

namespace sluice::expr {
namespace {

bool is_pure(Op op) {
    return op != Op::field && op != Op::exists && op != Op::now && op != Op::ts &&
           op != Op::source && op != Op::compare_field;
}

/// The operator that gives the same result with its operands swapped: 1 < x is x > 1.
Op mirrored(Op op) {
    switch (op) {
    case Op::lt:
        return Op::gt;
    case Op::le:
        return Op::ge;
    case Op::gt:
        return Op::lt;
    case Op::ge:
        return Op::le;
    default:
        return op;
    }
}

class Checker {
public:
    Checker(Program& program, TextOrigin where, Diagnostics& diagnostics)
        : p_(program), where_(where), diagnostics_(diagnostics) {}

    bool run() {
        // The parser adds operands before the node that uses them, so one forward pass visits
        // every node after its operands.
        for (std::uint32_t i = 0; i < p_.nodes.size(); ++i) {
            check_node(i);
        }
        return ok_;
    }

private:
    Node& node(std::uint32_t i) { return p_.nodes[i]; }
    TypeSet types(std::uint32_t i) { return p_.nodes[i].types; }
    void error(std::uint32_t offset, std::string message) {
        diagnostics_.error(where_.at(offset), std::move(message));
        ok_ = false;
    }
    /// Reports `operand` when none of its possible types is in `allowed` (null always is).
    bool require(std::uint32_t operand, TypeSet allowed, std::uint32_t at, std::string_view what,
                 std::string_view wanted) {
        if (types(operand) & (allowed | kTNull)) {
            return true;
        }
        error(at, type_error(what, wanted, types(operand)));
        return false;
    }

    void check_node(std::uint32_t i);
    void check_arithmetic(std::uint32_t i);
    void check_comparison(std::uint32_t i);
    void check_call(std::uint32_t i);
    bool check_arity(const Node& n, const FunctionInfo& f);
    bool resolve_special(std::uint32_t i, const FunctionInfo& f);
    void fold(std::uint32_t i);
    void fuse_field_comparison(std::uint32_t i);

    Program& p_;
    TextOrigin where_;
    Diagnostics& diagnostics_;
    bool ok_ = true;
};

void Checker::check_node(std::uint32_t i) {
    Node& n = node(i);
    switch (n.op) {
    case Op::now:
    case Op::ts:
        n.types = kTInt;
        return;
    case Op::source:
        n.types = kTString;
        return;
    case Op::neg:
        n.types = static_cast<TypeSet>(types(n.a) & (kTNumber | kTNull));
        require(n.a, kTNumber, n.offset, "-", "a number");
        break;
    case Op::logical_not:
        n.types = kTBool;
        require(n.a, kTBool, n.offset, "!", "a bool");
        break;
    case Op::logical_and:
    case Op::logical_or:
        n.types = kTBool;
        require(n.a, kTBool, n.offset, op_symbol(n.op), "bools") &&
            require(n.b, kTBool, n.offset, op_symbol(n.op), "bools");
        break;
    case Op::cond:
        n.types = types(n.b) | types(n.c);
        require(n.a, kTBool, n.offset, "?", "a bool condition");
        break;
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div:
    case Op::mod:
        check_arithmetic(i);
        break;
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge:
        check_comparison(i);
        fuse_field_comparison(i);
        break;
    case Op::call:
        check_call(i);
        break;
    default:
        break;
    }
    fold(i);
}

void Checker::check_arithmetic(std::uint32_t i) {
    Node& n = node(i);
    TypeSet a = types(n.a);
    TypeSet b = types(n.b);
    TypeSet nulls = static_cast<TypeSet>((a | b) & kTNull);
    if (n.op == Op::add) {
        bool numbers = (a & kTNumber) && (b & kTNumber);
        bool strings = (a & kTString) && (b & kTString);
        if (!require(n.a, kTNumber | kTString, n.offset, "+", "numbers or strings") ||
            !require(n.b, kTNumber | kTString, n.offset, "+", "numbers or strings")) {
            return;
        }
        bool a_values = a & (kTNumber | kTString);
        bool b_values = b & (kTNumber | kTString);
        if (a_values && b_values && !numbers && !strings) {
            error(n.offset, "'+' needs two numbers or two strings, got " + type_names(a) + " and " +
                                type_names(b));
            return;
        }
        TypeSet number_types = ((a | b) & kTDouble) ? kTNumber : kTInt;
        n.types =
            static_cast<TypeSet>((numbers ? number_types : 0) | (strings ? kTString : 0) | nulls);
        return;
    }
    if (!require(n.a, kTNumber, n.offset, op_symbol(n.op), "numbers") ||
        !require(n.b, kTNumber, n.offset, op_symbol(n.op), "numbers")) {
        return;
    }
    const Node& divisor = node(n.b);
    if ((n.op == Op::div || n.op == Op::mod) && divisor.op == Op::constant &&
        divisor.value.is_numeric() && divisor.value.to_double() == 0) {
        error(n.offset, n.op == Op::div ? "division by zero" : "modulo by zero");
        return;
    }
    // `/` is true division; int op int stays int for the others.
    bool ints = !((a | b) & kTDouble);
    n.types = static_cast<TypeSet>((n.op == Op::div ? kTDouble : ints ? kTInt : kTNumber) | nulls);
}

void Checker::check_comparison(std::uint32_t i) {
    Node& n = node(i);
    n.types = kTBool;
    auto literal_null = [this](std::uint32_t k) {
        return node(k).op == Op::constant && node(k).value.is_null();
    };
    if ((n.op == Op::eq || n.op == Op::ne) && (literal_null(n.a) || literal_null(n.b))) {
        // `x == null` tests for null, though any other comparison with null is false.
        n.a = literal_null(n.a) ? n.b : n.a;
        n.op = n.op == Op::eq ? Op::is_null : Op::not_null;
        return;
    }
    if (n.op == Op::eq || n.op == Op::ne) {
        return;
    }
    std::string_view what = op_symbol(n.op);
    if (!require(n.a, kTNumber | kTString, n.offset, what, "numbers or strings") ||
        !require(n.b, kTNumber | kTString, n.offset, what, "numbers or strings")) {
        return;
    }
    TypeSet a = static_cast<TypeSet>(types(n.a) & ~kTNull);
    TypeSet b = static_cast<TypeSet>(types(n.b) & ~kTNull);
    bool comparable = ((a & kTNumber) && (b & kTNumber)) || ((a & kTString) && (b & kTString));
    if (a && b && !comparable) {
        error(n.offset, "'" + std::string(what) + "' cannot compare " + type_names(a) + " with " +
                            type_names(b));
    }
}

std::string arity_text(const FunctionInfo& f) {
    auto plural = [](unsigned n) { return n == 1 ? " argument" : " arguments"; };
    if (f.max_args == kVariadic) {
        return "at least " + std::to_string(f.min_args) + plural(f.min_args);
    }
    if (f.min_args == f.max_args) {
        return std::to_string(f.min_args) + plural(f.min_args);
    }
    return std::to_string(f.min_args) + " or " + std::to_string(f.max_args) + plural(f.max_args);
}

bool Checker::check_arity(const Node& n, const FunctionInfo& f) {
    if (n.count >= f.min_args && (f.max_args == kVariadic || n.count <= f.max_args) &&
        n.count <= kMaxArguments) {
        return true;
    }
    if (n.count > kMaxArguments) {
        error(n.offset, "'" + std::string(f.name) + "' takes at most " +
                            std::to_string(kMaxArguments) + " arguments, got " +
                            std::to_string(n.count));
        return false;
    }
    error(n.offset, "'" + std::string(f.name) + "' takes " + arity_text(f) + ", got " +
                        std::to_string(n.count));
    return false;
}

void Checker::check_call(std::uint32_t i) {
    Node& n = node(i);
    if (n.fn == kUnknownFunction) {
        ok_ = false; // reported by the parser
        return;
    }
    const FunctionInfo& f = function_info(static_cast<Fn>(n.fn));
    if (!check_arity(n, f)) {
        return;
    }
    if (f.impl == nullptr || f.id == Fn::matches) {
        if (!resolve_special(i, f) || f.id != Fn::matches) {
            return;
        }
    }
    TypeSet nulls = 0;
    for (std::uint32_t k = 0; k < n.count; ++k) {
        std::uint32_t arg = p_.kids[n.first + k];
        if (!(types(arg) & (f.args | kTNull))) {
            error(node(arg).start, type_error(f.name, describe_types(f.args), types(arg)));
        }
        nulls = static_cast<TypeSet>(nulls | (types(arg) & kTNull));
    }
    n.types = static_cast<TypeSet>(f.result | nulls);
}

/// field(), exists(), now(), ts() and source() become nodes of their own; matches() gets its
/// pattern compiled once here.
bool Checker::resolve_special(std::uint32_t i, const FunctionInfo& f) {
    Node& n = node(i);
    const Node* arg = n.count ? &node(p_.kids[n.first]) : nullptr;
    switch (f.id) {
    case Fn::now:
    case Fn::ts:
        n.op = f.id == Fn::now ? Op::now : Op::ts;
        n.types = kTInt;
        return true;
    case Fn::source:
        n.op = Op::source;
        n.types = kTString;
        return true;
    case Fn::field:
        if (arg->op != Op::constant || !arg->value.is_string() || arg->value.as_string().empty()) {
            error(arg->start, "'field' needs a constant string, expected field(\"name\")");
            return false;
        }
        n.op = Op::field;
        n.symbol = intern(arg->value.as_string());
        n.types = kTAny;
        return true;
    case Fn::exists:
        if (arg->op != Op::field) {
            error(arg->start, "'exists' needs a field name, expected exists(name)");
            return false;
        }
        n.op = Op::exists;
        n.symbol = arg->symbol;
        n.types = kTBool;
        return true;
    case Fn::matches: {
        const Node& pattern = node(p_.kids[n.first + 1]);
        if (pattern.op != Op::constant || !pattern.value.is_string()) {
            error(pattern.start, "'matches' needs a constant pattern, expected a \"string\"");
            return false;
        }
        std::string problem;
        std::size_t offset = 0;
        auto compiled = Pattern::compile(pattern.value.as_string(), problem, offset);
        if (!compiled) {
            error(pattern.start, offset == std::string_view::npos
                                     ? "matches() needs " + problem
                                     : "invalid regular expression: " + problem + " (at offset " +
                                           std::to_string(offset) + " of the pattern)");
            return false;
        }
        p_.patterns.push_back(std::move(*compiled));
        n.aux = static_cast<std::uint32_t>(p_.patterns.size() - 1);
        return true;
    }
    default:
        return true;
    }
}

/// `field OP constant`, the commonest condition, becomes one node: no recursion, no copies.
void Checker::fuse_field_comparison(std::uint32_t i) {
    Node& n = node(i);
    bool comparison = n.op == Op::eq || n.op == Op::ne || n.op == Op::lt || n.op == Op::le ||
                      n.op == Op::gt || n.op == Op::ge;
    if (!ok_ || !comparison) {
        return;
    }
    const Node& a = node(n.a);
    const Node& b = node(n.b);
    bool field_first = a.op == Op::field && b.op == Op::constant;
    bool constant_first = a.op == Op::constant && b.op == Op::field;
    if (!field_first && !constant_first) {
        return;
    }
    const Node& field = field_first ? a : b;
    n.value = (field_first ? b : a).value;
    n.symbol = field.symbol;
    Op op = field_first ? n.op : mirrored(n.op);
    n.fn = static_cast<std::uint8_t>(op);
    n.aux = comparison_mask(op);
    n.op = Op::compare_field;
}

/// Replaces a node whose operands are all constants by its value. A run-time error found this
/// way (1 / 0) is a load-time error.
void Checker::fold(std::uint32_t i) {
    Node& n = node(i);
    if (!ok_ || n.op == Op::constant || !is_pure(n.op)) {
        return;
    }
    auto constant = [this](std::uint32_t k) { return node(k).op == Op::constant; };
    bool all = true;
    switch (n.op) {
    case Op::neg:
    case Op::logical_not:
    case Op::is_null:
    case Op::not_null:
        all = constant(n.a);
        break;
    case Op::cond:
        all = constant(n.a) && constant(n.b) && constant(n.c);
        break;
    case Op::in_list:
    case Op::call:
        all = n.op == Op::call || constant(n.a);
        for (std::uint32_t k = 0; k < n.count; ++k) {
            all = all && constant(p_.kids[n.first + k]);
        }
        break;
    default:
        all = constant(n.a) && constant(n.b);
        break;
    }
    if (!all) {
        return;
    }
    Event empty;
    EvalContext ctx;
    Value v;
    if (!Evaluator(p_, empty, ctx).run(i, v)) {
        error(n.offset, ctx.error);
        return;
    }
    if (v.is_string()) {
        v = Value::string(p_.keep(std::string(v.as_string())));
    }
    n.op = Op::constant;
    n.value = v;
    n.types = type_bit(v.type());
}

} // namespace

bool check(Program& program, TextOrigin where, Diagnostics& diagnostics) {
    return Checker(program, where, diagnostics).run();
}

} // namespace sluice::expr
