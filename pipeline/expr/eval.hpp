#pragma once
// Walks a compiled Program over one event.

#include "pipeline/expr/expression.hpp"
#include "pipeline/expr/program.hpp"

namespace sluice::expr {

/// Evaluates nodes of `program` against `event`. Strings it computes go to the context's scratch
/// arena, which the caller resets. Never throws except std::bad_alloc (from the arena).
class Evaluator {
public:
    Evaluator(const Program& program, const Event& event, EvalContext& ctx)
        : program_(program), event_(event), ctx_(ctx) {}

    /// The value of node `index`; false on a run-time error, with ctx.error saying why.
    bool run(std::uint32_t index, Value& out);

    /// Whether node `index` is the boolean true, without building a Value for boolean nodes;
    /// false on a run-time error, with ctx.error saying why.
    bool test(std::uint32_t index, bool& out);

private:
    bool condition(std::uint32_t index, Op op, bool& out);
    bool boolean(std::uint32_t index, Op op, Value& out);
    bool builtin(const Node& node, Value& out);
    bool compare(const Node& node, Value& out);
    bool compare_field(const Node& node, bool& out);
    bool compare_field_slow(const Node& node, const Value& field, bool& out);
    bool compare_result(Op op, const Value& a, const Value& b, Value& out);
    bool order_error(Op op, const Value& a, const Value& b);
    bool negate(const Node& node, Value& out);
    bool binary(const Node& node, Value& out);
    bool arithmetic_type_error(Op op, const Value& a, const Value& b);
    bool in_list(const Node& node, Value& out);
    bool call(const Node& node, Value& out);
    bool fail(const char* message);
    bool fail(std::string message);

    const Program& program_;
    const Event& event_;
    EvalContext& ctx_;
};

/// The most arguments a function call may have (min and max are variadic).
inline constexpr std::uint32_t kMaxArguments = 16;

/// Message for an operand of the wrong type: "'*' needs numbers, got string".
std::string type_error(std::string_view what, std::string_view wanted, TypeSet got);

/// "int", "string or bool"... for messages.
std::string type_names(TypeSet types);

} // namespace sluice::expr
