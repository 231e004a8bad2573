#pragma once
// Helpers every stage factory and stage shares: the shared `key:`/`max_keys:` options,
// expressions read from option nodes, and error counting.

#include "pipeline/diagnostics.hpp"
#include "pipeline/expr/expression.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/stages/key_table.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace sluice {

/// The default of the shared `max_keys:` option.
inline constexpr std::int64_t kDefaultMaxKeys = 10000;

/// The per-key index configured by the shared `key:` (list of field names; none means one
/// global state) and `max_keys:` options of `config`. Reports bad values to `diagnostics` and
/// returns nullopt.
std::optional<KeyTable> make_key_table(const ComponentConfig& config, Diagnostics& diagnostics);

/// Compiles the expression written as the scalar `node` (an option value or a mapping value).
/// Reports a non-scalar node or a compile error and returns nullopt.
std::optional<Expression> compile_expression(const ConfigNode& node, Diagnostics& diagnostics);

/// compile_expression() for an expression used as a condition (Expression::compile_condition):
/// one that cannot be a bool is an error.
std::optional<Expression> compile_condition(const ConfigNode& node, Diagnostics& diagnostics);

/// How an expression is used: for its value, or as a condition (which must be able to be a bool).
enum class ExpressionUse { value, condition };

/// Compiles option `key` of `config`, which must be present when `required`, for `use`.
/// Returns nullopt when absent (not required) or invalid (reported).
std::optional<Expression> compile_option(const ComponentConfig& config, std::string_view key,
                                         bool required, Diagnostics& diagnostics,
                                         ExpressionUse use = ExpressionUse::value);

/// The mapping under option `key`, or nullptr when absent. Reports a node that is not a mapping
/// (and returns nullptr) or a missing one when `required`.
const ConfigNode* mapping_option(const ComponentConfig& config, std::string_view key, bool required,
                                 Diagnostics& diagnostics);

/// The field named by option `key` (a non-empty string), interned; reports a missing or empty
/// value and returns nullopt.
std::optional<Symbol> field_option(const ComponentConfig& config, std::string_view key,
                                   Diagnostics& diagnostics);

/// Counts an event dropped because evaluating it failed, remembering why.
void note_error(StageCounters& counters, std::string_view why);

/// The state of `slot` in a per-slot array, growing the array for a slot handed out for the
/// first time (amortised: the array grows geometrically and never shrinks).
template <typename State>
State& slot_state(std::vector<State>& states, std::uint32_t slot) {
    if (slot >= states.size()) {
        states.resize(std::size_t{slot} + 1);
    }
    return states[slot];
}

/// `now + delay` without overflowing past kNever.
inline Nanos deadline_after(Nanos now, Nanos delay) {
    return now > kNever - delay ? kNever - 1 : now + delay;
}

} // namespace sluice
