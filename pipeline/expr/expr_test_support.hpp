#pragma once
// Helpers shared by the expression tests.

#include "pipeline/expr/expression.hpp"
#include "pipeline/symbol.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace sluice::test {

/// temp=95 (int), t=21.5, sensor="t1", on=true, off=false, gone=null, room.temp=20,
/// text="Hello World", num_text=" 42 "; ts 1000, source "src".
inline Event sample_event() {
    Event e;
    e.set(intern("temp"), Value::integer(95));
    e.set(intern("t"), Value::number(21.5));
    e.set(intern("sensor"), Value::string("t1"));
    e.set(intern("on"), Value::boolean(true));
    e.set(intern("off"), Value::boolean(false));
    e.set(intern("gone"), Value::null());
    e.set(intern("room.temp"), Value::integer(20));
    e.set(intern("text"), Value::string("Hello World"));
    e.set(intern("num_text"), Value::string(" 42 "));
    e.set(intern("odd-name"), Value::integer(7));
    e.set_ts(1000);
    e.set_source(intern("src"));
    return e;
}

/// Compiles `text`, failing the test with the diagnostics when it does not compile.
inline Expression compiled(const std::string& text) {
    Diagnostics d("t.yaml");
    auto e = Expression::compile(text, Position{1, 1}, d);
    INFO(text << "\n" << d.format_all());
    REQUIRE(e);
    REQUIRE(!d.has_errors());
    return *e;
}

/// The formatted diagnostics of compiling `text` at line 3, column 17, or "" when it compiles.
inline std::string compile_errors(const std::string& text) {
    Diagnostics d("f.yaml");
    auto e = Expression::compile(text, Position{3, 17}, d);
    CHECK(e.has_value() == !d.has_errors());
    std::string out = d.format_all();
    if (!out.empty() && out.back() == '\n') {
        out.pop_back();
    }
    return out;
}

/// A value rendered for comparison in tables: "int 3", "double 2.5", "string \"x\"", "null",
/// "bool true", or "error: <reason>".
inline std::string render(const std::optional<Value>& v, const EvalContext& ctx) {
    if (!v) {
        return "error: " + ctx.error;
    }
    switch (v->type()) {
    case ValueType::null:
        return "null";
    case ValueType::boolean:
        return v->as_bool() ? "bool true" : "bool false";
    case ValueType::integer:
        return "int " + std::to_string(v->as_int());
    case ValueType::number: {
        std::ostringstream s;
        s.precision(17);
        s << v->as_double();
        return "double " + s.str();
    }
    case ValueType::string:
        return "string \"" + std::string(v->as_string()) + "\"";
    }
    return "?";
}

/// Compiles and evaluates `text` against the sample event; the result rendered.
inline std::string eval_text(const std::string& text, Nanos now = 5000) {
    Expression e = compiled(text);
    EvalContext ctx;
    ctx.now = now;
    Event event = sample_event();
    return render(e.eval(event, ctx), ctx);
}

/// Expression text and the eval_text() result it must give.
using Case = std::pair<const char*, const char*>;

/// Checks every case of a table, naming the failing expression.
inline void check_table(const std::vector<Case>& cases) {
    for (const auto& [text, expected] : cases) {
        INFO(text);
        CHECK(eval_text(text) == expected);
    }
}

} // namespace sluice::test
