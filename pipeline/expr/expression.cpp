// Placeholder until the expression compiler lands: every expression is rejected.
#include "pipeline/expr/expression.hpp"

namespace sluice {

struct Program {
    std::string text;
};
struct EvalContext::Scratch {};
EvalContext::EvalContext() : scratch_(std::make_unique<Scratch>()) {}
EvalContext::~EvalContext() = default;
EvalContext::Scratch& EvalContext::scratch() {
    return *scratch_;
}

Expression::Expression(std::shared_ptr<const Program> program) : program_(std::move(program)) {}

std::optional<Expression> Expression::compile(std::string_view, Position where,
                                              Diagnostics& diagnostics) {
    diagnostics.error(where, "expressions are not supported yet");
    return std::nullopt;
}

std::optional<Value> Expression::eval(const Event&, EvalContext&) const {
    return std::nullopt;
}
std::optional<bool> Expression::test(const Event&, EvalContext&) const {
    return std::nullopt;
}
const std::string& Expression::text() const {
    return program_->text;
}

} // namespace sluice
