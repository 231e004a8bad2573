#include "pipeline/stages/builtin_stages.hpp"

#include "pipeline/stages/deadband.hpp"
#include "pipeline/stages/debounce.hpp"
#include "pipeline/stages/filter.hpp"
#include "pipeline/stages/map.hpp"
#include "pipeline/stages/route.hpp"
#include "pipeline/stages/rule.hpp"
#include "pipeline/stages/stale.hpp"
#include "pipeline/stages/threshold.hpp"
#include "pipeline/stages/throttle.hpp"
#include "pipeline/stages/window.hpp"

namespace sluice {

std::span<const KindSpec> builtin_stage_kinds() {
    // One explicit list: a static library drops self-registering objects nobody references.
    static const KindSpec kinds[] = {
        {ComponentKind::stage,
         "filter",
         "Pass the events for which a condition is true.",
         filter_options(),
         {},
         make_filter},
        {ComponentKind::stage,
         "map",
         "Set, rename, drop and keep fields.",
         map_options(),
         {},
         make_map},
        {ComponentKind::stage,
         "rule",
         "Per-key set/clear state machine emitting one event per edge.",
         rule_options(),
         {},
         make_rule},
        {ComponentKind::stage,
         "threshold",
         "Alarm when a field crosses a limit, with hysteresis and a hold time.",
         threshold_options(),
         {},
         make_threshold},
        {ComponentKind::stage,
         "deadband",
         "Forward a value only when it moved by at least delta since the last forwarded.",
         deadband_options(),
         {},
         make_deadband},
        {ComponentKind::stage,
         "debounce",
         "Emit the last event of a key once the key has been quiet for a while.",
         debounce_options(),
         {},
         make_debounce},
        {ComponentKind::stage,
         "throttle",
         "Pass at most a given rate of events per key.",
         throttle_options(),
         {},
         make_throttle},
        {ComponentKind::stage,
         "window",
         "Aggregate events per key over tumbling or hopping windows.",
         window_options(),
         {},
         make_window},
        {ComponentKind::stage,
         "route",
         "Send each event to every named route it matches, else to _unmatched.",
         route_options(),
         {},
         make_route},
        {ComponentKind::stage,
         "stale",
         "Report keys that fall silent for a timeout, and their return.",
         stale_options(),
         {},
         make_stale},
    };
    return kinds;
}

} // namespace sluice
