#include "pipeline/expr/expression.hpp"

#include "pipeline/expr/checker.hpp"
#include "pipeline/expr/eval.hpp"
#include "pipeline/expr/parser.hpp"
#include "pipeline/expr/program.hpp"
#include "pipeline/expr/scratch.hpp"

#include <new>

namespace sluice {

namespace {

/// What a value of `types` is, with its article: "an int", "a number", "null".
std::string a_value_of(TypeSet types) {
    if (types == kTNull) {
        return "null";
    }
    types = static_cast<TypeSet>(types & ~kTNull);
    if (types == kTInt) {
        return "an int";
    }
    if (types == kTDouble) {
        return "a double";
    }
    if (types == kTNumber) {
        return "a number";
    }
    if (types == kTString) {
        return "a string";
    }
    return "a number or a string";
}

/// Reports a checked `program` used as a condition whose value cannot be a bool by its known
/// types (a constant number, string or null, an arithmetic result): it would never be true.
/// A value whose type is known only at run time (a field) passes. Returns whether it passed.
bool check_condition(const Program& program, TextOrigin where, Diagnostics& diagnostics) {
    const Node& root = program.nodes[program.root];
    if (root.types & kTBool) {
        return true;
    }
    diagnostics.error(where.at(root.start), "a condition must be a bool, this is " +
                                                a_value_of(root.types) +
                                                " (it would never be true), expected a test "
                                                "such as temp > 90");
    return false;
}

} // namespace

EvalContext::EvalContext() : scratch_(std::make_unique<Scratch>()) {}
EvalContext::~EvalContext() = default;
EvalContext::Scratch& EvalContext::scratch() {
    return *scratch_;
}

Expression::Expression(std::shared_ptr<const Program> program) : program_(std::move(program)) {
    const auto& root = program_->nodes[program_->root];
    if (root.op == Op::field) {
        field_ = root.symbol;
    }
}

std::shared_ptr<Program> Expression::compile_program(std::string_view text, TextOrigin where,
                                                     Diagnostics& diagnostics) {
    auto program = std::make_shared<Program>();
    program->text = std::string(text);
    std::size_t errors_before = diagnostics.error_count();
    bool parsed = expr::parse(*program, where, diagnostics);
    if (!parsed) {
        return nullptr;
    }
    bool checked = expr::check(*program, where, diagnostics);
    if (!checked || diagnostics.error_count() != errors_before) {
        return nullptr;
    }
    return program;
}

std::optional<Expression> Expression::compile(std::string_view text, TextOrigin where,
                                              Diagnostics& diagnostics) {
    auto program = compile_program(text, where, diagnostics);
    if (!program) {
        return std::nullopt;
    }
    return Expression(std::move(program));
}

std::optional<Expression> Expression::compile_condition(std::string_view text, TextOrigin where,
                                                        Diagnostics& diagnostics) {
    auto program = compile_program(text, where, diagnostics);
    if (!program || !check_condition(*program, where, diagnostics)) {
        return std::nullopt;
    }
    return Expression(std::move(program));
}

std::optional<Value> Expression::eval_program(const Event& event, EvalContext& ctx) const {
    // A constant needs no evaluator either.
    const auto& root = program_->nodes[program_->root];
    if (root.op == Op::constant) {
        return root.value;
    }
    // A comparison or logical operator (a map's `hot: temp > 90`) yields a bool: built here
    // in registers. Through run() it would be stored to memory in two words and copied out
    // in one 16-byte load, which stalls store forwarding.
    if (is_condition(root.op)) {
        auto truth = test_program(event, ctx);
        return truth ? std::optional<Value>(Value::boolean(*truth)) : std::nullopt;
    }
    ctx.scratch().arena.reset();
    Value out;
    try {
        if (!expr::Evaluator(*program_, event, ctx).run(program_->root, out)) {
            return std::nullopt;
        }
    } catch (const std::bad_alloc&) {
        ctx.error = "out of memory";
        return std::nullopt;
    }
    return out;
}

std::optional<bool> Expression::test_program(const Event& event, EvalContext& ctx) const {
    ctx.scratch().arena.reset();
    bool out = false;
    try {
        if (!expr::Evaluator(*program_, event, ctx).test(program_->root, out)) {
            return std::nullopt;
        }
    } catch (const std::bad_alloc&) {
        ctx.error = "out of memory";
        return std::nullopt;
    }
    return out;
}

const std::string& Expression::text() const {
    return program_->text;
}

} // namespace sluice
