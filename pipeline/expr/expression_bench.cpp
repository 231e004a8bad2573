// Times expression evaluation: `expr_bench [iterations]`. Not a test; numbers vary by machine.
#include "pipeline/expr/expression.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace sluice;

namespace {

Event four_field_event() {
    Event e;
    e.set(intern("sensor"), Value::string("t1"));
    e.set(intern("temp"), Value::number(93.5));
    e.set(intern("humidity"), Value::integer(40));
    e.set(intern("room.name"), Value::string("lab"));
    e.set_ts(1'000'000);
    return e;
}

/// CPU time of this thread: the machine is shared, so wall time would count other processes.
double cpu_ns() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

/// Times eval(), or test() when `as_condition`, which is what filter, route and rule call.
void time_one(const char* text, long iterations, bool as_condition = false) {
    Diagnostics diagnostics("bench");
    auto e = Expression::compile(text, Position{1, 1}, diagnostics);
    if (!e) {
        std::fprintf(stderr, "%s", diagnostics.format_all().c_str());
        std::exit(1);
    }
    Event event = four_field_event();
    EvalContext ctx;
    long hits = 0;
    double start = cpu_ns();
    for (long i = 0; i < iterations; ++i) {
        if (as_condition) {
            auto pass = e->test(event, ctx);
            hits += pass && *pass;
        } else {
            auto v = e->eval(event, ctx);
            hits += v && !v->is_null();
        }
    }
    double ns = cpu_ns() - start;
    const char* what = as_condition ? "test" : "eval";
    std::printf("%8.1f ns/%s (cpu)  %s  (%ld hits)\n", ns / static_cast<double>(iterations), what,
                text, hits);
}

} // namespace

int main(int argc, char** argv) {
    long iterations = argc > 1 ? std::atol(argv[1]) : 10'000'000;
    time_one("temp > 90 && sensor == \"t1\"", iterations);
    time_one("temp > 90 && sensor == \"t1\"", iterations, true);
    time_one("temp * 1.8 + 32", iterations);
    time_one("sensor in [\"t1\", \"t2\", \"t3\"] and humidity < 50", iterations);
    time_one("clamp(round(temp), 0, 100)", iterations);
    time_one("missing == null || missing > 3", iterations);
    time_one("upper(sensor) + \"/\" + room.name", iterations);
    time_one("matches(sensor, \"^t[0-9]+$\")", iterations / 10);
    return 0;
}
