#pragma once
// Checks of the wiring between components: unique names, inputs that name something that
// produces events (and an output it has), no cycles, and producers that nothing reads.

#include "config/component_loader.hpp"

#include <vector>

namespace sluice {

/// Checks the graph of `components` (in file order), whose stages build_components() has built
/// (a stage that was not built has unknown outputs, so inputs naming them are not checked).
/// Warns about sources and stages nothing reads only when `file_has_errors` is false and the
/// graph checks found none, since a mistyped input leaves its intended producer unread. Never
/// throws except std::bad_alloc.
void check_graph(std::vector<LoadedComponent>& components, const CheckContext& context,
                 bool file_has_errors);

} // namespace sluice
