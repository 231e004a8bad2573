#pragma once
// The expression language of filter, map, rule, route and window (SPEC §4 "Expressions").

#include "pipeline/diagnostics.hpp"
#include "pipeline/event.hpp"
#include "pipeline/value.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// Per-evaluation state: the clock, and storage for strings computed during evaluation.
/// One context serves many evaluations; a string Value returned by eval() stays valid until the
/// next eval() with the same context.
class EvalContext {
public:
    Nanos now = 0;
    /// Why the last evaluation failed, when it did.
    std::string error;

    /// Storage for computed strings (owned by the evaluator; reused across evaluations).
    struct Scratch;
    Scratch& scratch();
    EvalContext();
    ~EvalContext();
    EvalContext(const EvalContext&) = delete;
    EvalContext& operator=(const EvalContext&) = delete;

private:
    std::unique_ptr<Scratch> scratch_;
};

struct Program; // the compiled form, private to pipeline/expr

/// A compiled expression. Cheap to copy (shares the compiled program). Evaluation never throws.
class Expression {
public:
    /// Compiles `text`, which stands at `where` in the configuration file (the position of its
    /// first character). On failure reports each problem at its column inside the expression
    /// and returns nullopt.
    static std::optional<Expression> compile(std::string_view text, TextOrigin where,
                                             Diagnostics& diagnostics);
    /// Compiles `text` as a condition (a filter's, a rule's when and clear, a route's): as
    /// compile(), and an expression whose type is known at load time and is not bool (`1`,
    /// `'abc'`, `null`, `temp + 1`) is an error at its first character, since it would never be
    /// true. One whose type is known only at run time (a bare field) is accepted.
    static std::optional<Expression> compile_condition(std::string_view text, TextOrigin where,
                                                       Diagnostics& diagnostics);

    /// Evaluates against `event`. Returns nullopt on a run-time error (division by zero, a bad
    /// regex input...) with ctx.error saying why; missing fields are null, not errors.
    std::optional<Value> eval(const Event& event, EvalContext& ctx) const {
        // A bare field (a map or a rule's emit copying one) is read here, inlined into the
        // stage: no call, no walk to the compiled program.
        if (field_ != 0) {
            return event.get(field_);
        }
        return eval_program(event, ctx);
    }

    /// Evaluates as a condition: true only for a boolean true result. nullopt on error.
    std::optional<bool> test(const Event& event, EvalContext& ctx) const {
        if (field_ != 0) { // `when: hot`: a flag an earlier stage set
            auto v = event.get(field_);
            return v.is_bool() && v.as_bool();
        }
        return test_program(event, ctx);
    }

    const std::string& text() const;

private:
    explicit Expression(std::shared_ptr<const Program> program);
    /// Parses and checks `text`; nullptr when that reported an error.
    static std::shared_ptr<Program> compile_program(std::string_view text, TextOrigin where,
                                                    Diagnostics& diagnostics);
    std::optional<Value> eval_program(const Event& event, EvalContext& ctx) const;
    std::optional<bool> test_program(const Event& event, EvalContext& ctx) const;

    std::shared_ptr<const Program> program_;
    Symbol field_ = 0; // the field when the whole expression is one field, else 0
};

} // namespace sluice
