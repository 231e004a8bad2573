#pragma once
// Checks of the wiring between components: unique names, inputs that name something that
// produces events (and an output it has), no cycles, and producers that nothing reads.

#include "config/component_loader.hpp"

#include <vector>

namespace sluice {

/// Checks the graph of `components` (in file order). Builds each valid stage with its kind's
/// factory to learn its named outputs; the factory's own errors (expression typos) are reported
/// through `context`. Marks components with new errors invalid. Warns about sources and stages
/// nothing reads only when `file_has_errors` is false and the graph checks found none, since a
/// mistyped input leaves its intended producer unread. Never throws except std::bad_alloc: a
/// factory that throws is reported as an error.
void check_graph(std::vector<LoadedComponent>& components, const CheckContext& context,
                 bool file_has_errors);

} // namespace sluice
