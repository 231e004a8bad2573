#pragma once
// Builds stages the way the daemon does (through builtin_stage_kinds()) and drives them on a
// virtual clock, for tests and benchmarks.

#include "pipeline/diagnostics.hpp"
#include "pipeline/event.hpp"
#include "pipeline/stage.hpp"

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::testing {

inline constexpr Nanos kMillisecond = 1'000'000;
inline constexpr Nanos kSecond = 1'000'000'000;

/// A field value written in a test: 5, 2.5, true, "text", nullptr.
struct TestValue {
    Value value;
    TestValue(int i) : value(Value::integer(i)) {}             // NOLINT: implicit by design
    TestValue(long i) : value(Value::integer(i)) {}            // NOLINT
    TestValue(long long i) : value(Value::integer(i)) {}       // NOLINT
    TestValue(double d) : value(Value::number(d)) {}           // NOLINT
    TestValue(bool b) : value(Value::boolean(b)) {}            // NOLINT
    TestValue(const char* s) : value(Value::string(s)) {}      // NOLINT
    TestValue(std::string_view s) : value(Value::string(s)) {} // NOLINT
    TestValue(std::nullptr_t) {}                               // NOLINT
};

/// An event with the given fields (in order), timestamp and source.
Event make_event(std::initializer_list<std::pair<std::string_view, TestValue>> fields, Nanos ts = 0,
                 std::string_view source = {});

/// `{name: value, ...}` with strings quoted and doubles always showing a '.' or exponent.
std::string show(const Event& event);
/// show() of each event.
std::vector<std::string> show(std::span<const Event> events);

/// Builds a stage from a config text (see parse_config_text) the way the config loader does:
/// rejects options the kind does not declare, reports missing required ones, fills in
/// defaults from the kind's OptionSpec table, then calls the kind's factory. Returns nullptr
/// with the problems in `diagnostics`.
std::unique_ptr<Stage> build_stage(std::string_view config_text, Diagnostics& diagnostics);
/// Like the above; throws std::runtime_error carrying the diagnostics on failure.
std::unique_ptr<Stage> build_stage(std::string_view config_text);

/// Feeds a stage batches and runs its timers on a virtual clock.
class StageRunner {
public:
    /// Builds the stage with build_stage(); throws std::runtime_error on a bad config.
    explicit StageRunner(std::string_view config_text);
    explicit StageRunner(std::unique_ptr<Stage> stage);

    /// Processes `events` at time `now`; returns what each output port emitted.
    std::vector<EventBatch> push_ports(std::vector<Event> events, Nanos now);
    /// Processes `events` at time `now`; returns what the default output emitted.
    EventBatch push(std::vector<Event> events, Nanos now);
    /// Moves the clock to `now`, running on_timer() at each deadline due by then, exactly at
    /// that deadline (as a loop whose timers are punctual would). Returns the default output.
    EventBatch advance(Nanos now);
    /// Runs on_timer() once at `now` if anything is due (a timer that fired late).
    EventBatch fire_late(Nanos now);
    /// Runs flush() at `now`, as at the end of input. Returns the default output.
    EventBatch flush(Nanos now);

    Stage& stage() { return *stage_; }

private:
    std::unique_ptr<Stage> stage_;
    std::vector<EventBatch> ports_;
};

} // namespace sluice::testing
