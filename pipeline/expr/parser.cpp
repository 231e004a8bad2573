#include "pipeline/expr/parser.hpp"

#include "pipeline/expr/functions.hpp"
#include "pipeline/expr/lexer.hpp"

#include <algorithm>
#include <optional>

namespace sluice::expr {
namespace {

constexpr std::uint32_t kFail = UINT32_MAX;
constexpr int kNotPrecedence = 3; // `not` binds below comparisons, above `and` (as in Python)

struct BinaryOp {
    Op op;
    int precedence;
};

std::optional<BinaryOp> binary_op(Tok kind) {
    switch (kind) {
    case Tok::or_or:
    case Tok::kw_or:
        return BinaryOp{Op::logical_or, 1};
    case Tok::and_and:
    case Tok::kw_and:
        return BinaryOp{Op::logical_and, 2};
    case Tok::eq:
        return BinaryOp{Op::eq, 4};
    case Tok::ne:
        return BinaryOp{Op::ne, 4};
    case Tok::lt:
        return BinaryOp{Op::lt, 5};
    case Tok::le:
        return BinaryOp{Op::le, 5};
    case Tok::gt:
        return BinaryOp{Op::gt, 5};
    case Tok::ge:
        return BinaryOp{Op::ge, 5};
    case Tok::kw_in:
        return BinaryOp{Op::in_list, 5};
    case Tok::plus:
        return BinaryOp{Op::add, 6};
    case Tok::minus:
        return BinaryOp{Op::sub, 6};
    case Tok::star:
        return BinaryOp{Op::mul, 7};
    case Tok::slash:
        return BinaryOp{Op::div, 7};
    case Tok::percent:
        return BinaryOp{Op::mod, 7};
    default:
        return std::nullopt;
    }
}

class Parser {
public:
    Parser(Program& program, TextOrigin where, Diagnostics& diagnostics)
        : p_(program), lexer_(program.text), where_(where), diagnostics_(diagnostics) {
        advance();
    }

    bool run() {
        std::uint32_t root = parse_ternary();
        if (root == kFail) {
            return false;
        }
        if (tok_.kind != Tok::end) {
            unexpected("an operator or the end of the expression");
            return false;
        }
        p_.root = root;
        return true;
    }

private:
    void advance() { tok_ = lexer_.next(); }

    bool fail(std::uint32_t at, std::string message) {
        if (!failed_) {
            diagnostics_.error(where_.at(at), std::move(message));
        }
        failed_ = true;
        return false;
    }
    /// "column C", or "line L, column C" in a text written over several lines.
    std::string place(std::uint32_t offset) const {
        auto where = where_.at(offset);
        auto column = "column " + std::to_string(where.column);
        return where_.spans_lines() ? "line " + std::to_string(where.line) + ", " + column : column;
    }
    std::uint32_t fail_node(std::uint32_t at, std::string message) {
        fail(at, std::move(message));
        return kFail;
    }
    /// Reports a lexer error token, or an unexpected token where `expected` should be.
    std::uint32_t unexpected(std::string_view expected) {
        if (tok_.kind == Tok::error) {
            return fail_node(tok_.error_at, tok_.text);
        }
        return fail_node(tok_.offset, "unexpected " + describe(tok_, p_.text) + ", expected " +
                                          std::string(expected));
    }

    /// Adds a node whose operands are already in place, enforcing the depth limit.
    std::uint32_t add(Node node, std::initializer_list<std::uint32_t> operands) {
        std::uint32_t deepest = 0;
        for (auto i : operands) {
            deepest = std::max(deepest, depth_[i]);
            node.start = std::min(node.start, p_.nodes[i].start);
        }
        return add_with_depth(node, deepest + 1);
    }
    std::uint32_t add_with_depth(Node node, std::uint32_t depth) {
        if (depth > kMaxDepth) {
            return fail_node(node.offset, "expression nested too deeply, expected at most " +
                                              std::to_string(kMaxDepth) + " levels");
        }
        depth_.push_back(depth);
        return p_.add(node);
    }
    Node make(Op op, std::uint32_t offset) {
        Node n;
        n.op = op;
        n.offset = offset;
        n.start = offset;
        return n;
    }

    std::uint32_t parse_ternary();
    std::uint32_t parse_binary(int min_precedence);
    std::uint32_t parse_prefix(int min_precedence);
    std::uint32_t parse_primary();
    std::uint32_t parse_list(std::uint32_t lhs, std::uint32_t in_offset);
    std::uint32_t parse_call(Token name);
    std::uint32_t parse_operands(Node node, Tok close);
    std::uint32_t literal();

    Program& p_;
    Lexer lexer_;
    TextOrigin where_;
    Diagnostics& diagnostics_;
    Token tok_;
    bool failed_ = false;
    std::uint32_t nesting_ = 0; // parser recursion, bounded like the tree depth
    std::vector<std::uint32_t> depth_;
};

std::uint32_t Parser::parse_ternary() {
    if (++nesting_ > kMaxDepth) {
        return fail_node(tok_.offset, "expression nested too deeply, expected at most " +
                                          std::to_string(kMaxDepth) + " levels");
    }
    std::uint32_t cond = parse_binary(1);
    if (cond != kFail && tok_.kind == Tok::question) {
        Node n = make(Op::cond, tok_.offset);
        advance();
        n.a = cond;
        n.b = parse_ternary();
        if (n.b == kFail) {
            return kFail;
        }
        if (tok_.kind != Tok::colon) {
            return unexpected("':' of the '?' at " + place(n.offset));
        }
        advance();
        n.c = parse_ternary();
        cond = n.c == kFail ? kFail : add(n, {n.a, n.b, n.c});
    }
    --nesting_;
    return cond;
}

std::uint32_t Parser::parse_binary(int min_precedence) {
    std::uint32_t lhs = parse_prefix(min_precedence);
    int last_comparison = 0;
    while (lhs != kFail) {
        auto op = binary_op(tok_.kind);
        if (!op || op->precedence < min_precedence) {
            return lhs;
        }
        if ((op->precedence == 4 || op->precedence == 5) && last_comparison == op->precedence) {
            return fail_node(tok_.offset, "comparisons do not chain, expected '&&' between them");
        }
        last_comparison = op->precedence == 4 || op->precedence == 5 ? op->precedence : 0;
        std::uint32_t offset = tok_.offset;
        advance();
        if (op->op == Op::in_list) {
            lhs = parse_list(lhs, offset);
            continue;
        }
        // Left associative: the right operand takes only tighter operators.
        std::uint32_t rhs = parse_binary(op->precedence + 1);
        if (rhs == kFail) {
            return kFail;
        }
        Node n = make(op->op, offset);
        n.a = lhs;
        n.b = rhs;
        lhs = add(n, {lhs, rhs});
    }
    return kFail;
}

std::uint32_t Parser::parse_prefix(int min_precedence) {
    Op op;
    int operand_precedence;
    switch (tok_.kind) {
    case Tok::kw_not:
        op = Op::logical_not;
        operand_precedence = std::max(min_precedence, kNotPrecedence);
        break;
    case Tok::bang:
        op = Op::logical_not;
        operand_precedence = 8;
        break;
    case Tok::minus:
        op = Op::neg;
        operand_precedence = 8;
        break;
    default:
        return parse_primary();
    }
    if (++nesting_ > kMaxDepth) {
        return fail_node(tok_.offset, "expression nested too deeply, expected at most " +
                                          std::to_string(kMaxDepth) + " levels");
    }
    Node n = make(op, tok_.offset);
    advance();
    n.a = parse_binary(operand_precedence);
    --nesting_;
    return n.a == kFail ? kFail : add(n, {n.a});
}

std::uint32_t Parser::parse_primary() {
    switch (tok_.kind) {
    case Tok::integer:
    case Tok::number:
    case Tok::duration:
    case Tok::string:
    case Tok::kw_true:
    case Tok::kw_false:
    case Tok::kw_null:
        return literal();
    case Tok::name: {
        Token name = std::move(tok_);
        advance();
        if (tok_.kind == Tok::lparen) {
            return parse_call(std::move(name));
        }
        Node n = make(Op::field, name.offset);
        if (name.text == "now" || name.text == "ts" || name.text == "source") {
            n.op = name.text == "now" ? Op::now : name.text == "ts" ? Op::ts : Op::source;
        } else {
            n.symbol = intern(name.text);
        }
        return add_with_depth(n, 1);
    }
    case Tok::lparen: {
        std::uint32_t open = tok_.offset;
        advance();
        std::uint32_t inner = parse_ternary();
        if (inner == kFail) {
            return kFail;
        }
        if (tok_.kind != Tok::rparen) {
            return unexpected("')' to close the '(' at " + place(open));
        }
        p_.nodes[inner].start = std::min(p_.nodes[inner].start, open);
        advance();
        return inner;
    }
    default:
        return unexpected("an operand");
    }
}

std::uint32_t Parser::literal() {
    Node n = make(Op::constant, tok_.offset);
    switch (tok_.kind) {
    case Tok::integer:
    case Tok::duration:
        n.value = Value::integer(tok_.integer);
        n.types = kTInt;
        break;
    case Tok::number:
        n.value = Value::number(tok_.number);
        n.types = kTDouble;
        break;
    case Tok::string:
        n.value = Value::string(p_.keep(std::move(tok_.text)));
        n.types = kTString;
        break;
    case Tok::kw_true:
    case Tok::kw_false:
        n.value = Value::boolean(tok_.kind == Tok::kw_true);
        n.types = kTBool;
        break;
    default:
        n.types = kTNull;
        break;
    }
    advance();
    return add_with_depth(n, 1);
}

std::uint32_t Parser::parse_list(std::uint32_t lhs, std::uint32_t in_offset) {
    if (tok_.kind != Tok::lbracket) {
        return unexpected("'[' after 'in'");
    }
    Node n = make(Op::in_list, in_offset);
    n.a = lhs;
    n.start = p_.nodes[lhs].start;
    advance();
    n.types = kTBool;
    return parse_operands(n, Tok::rbracket);
}

std::uint32_t Parser::parse_call(Token name) {
    Node n = make(Op::call, name.offset);
    if (const FunctionInfo* f = find_function(name.text)) {
        n.fn = static_cast<std::uint8_t>(f->id);
    } else {
        n.fn = kUnknownFunction;
        std::string message = "unknown function '" + name.text + "'";
        auto suggestion = suggest_function(name.text);
        if (!suggestion.empty()) {
            message += ", did you mean '" + std::string(suggestion) + "'?";
        }
        diagnostics_.error(where_.at(name.offset), std::move(message));
    }
    advance(); // the '('
    return parse_operands(n, Tok::rparen);
}

/// Parses "a, b, c" up to `close` into the kids of `node` (a call or an `in` list).
std::uint32_t Parser::parse_operands(Node node, Tok close) {
    std::vector<std::uint32_t> operands;
    std::uint32_t deepest = node.op == Op::in_list ? depth_[node.a] : 0;
    if (tok_.kind != close) {
        while (true) {
            std::uint32_t operand = parse_ternary();
            if (operand == kFail) {
                return kFail;
            }
            operands.push_back(operand);
            deepest = std::max(deepest, depth_[operand]);
            if (tok_.kind == Tok::comma) {
                advance();
                continue;
            }
            if (tok_.kind != close) {
                return unexpected(close == Tok::rparen ? "',' or ')'" : "',' or ']'");
            }
            break;
        }
    }
    advance();
    node.first = static_cast<std::uint32_t>(p_.kids.size());
    node.count = static_cast<std::uint32_t>(operands.size());
    p_.kids.insert(p_.kids.end(), operands.begin(), operands.end());
    return add_with_depth(node, deepest + 1);
}

} // namespace

bool parse(Program& program, TextOrigin where, Diagnostics& diagnostics) {
    return Parser(program, where, diagnostics).run();
}

} // namespace sluice::expr
