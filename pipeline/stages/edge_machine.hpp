#pragma once
// The set/clear state machine shared by rule and threshold, for one key.

#include "pipeline/event.hpp"
#include "pipeline/stages/stage_support.hpp"

#include <cstdint>

namespace sluice {

enum class Edge : std::uint8_t { none, set, clear };

/// One key's alarm state. While inactive it watches the set condition, while active the clear
/// condition; a condition with a hold time must stay true that long (measured on the pipeline
/// clock) before the edge fires, and breaking it restarts the hold.
struct EdgeState {
    bool active = false;
    /// When the pending edge fires, or kNever when no condition is holding.
    Nanos deadline = kNever;

    /// Feeds the current condition: the set condition while inactive, the clear condition while
    /// active. `hold` is the matching hold time (`for` or `clear_for`). Returns the edge that
    /// fires now, if any.
    Edge observe(bool condition, Nanos now, Nanos hold) {
        if (!condition) {
            deadline = kNever;
            return Edge::none;
        }
        if (hold <= 0) {
            return flip();
        }
        if (deadline == kNever) {
            deadline = deadline_after(now, hold);
        }
        return Edge::none;
    }

    /// Fires the pending edge when its deadline has come.
    Edge due(Nanos now) { return deadline <= now ? flip() : Edge::none; }

private:
    Edge flip() {
        active = !active;
        deadline = kNever;
        return active ? Edge::set : Edge::clear;
    }
};

} // namespace sluice
