#pragma once
// Running each component's factory at load time: a stage is built to learn its named outputs
// and compile its expressions, a source or sink is built and discarded, so that what only a
// factory checks is reported together with every other error in the file.

#include "config/component_loader.hpp"

#include <vector>

namespace sluice {

/// Runs the factory of each valid component of `components` (in file order): a stage's
/// make_stage (setting `built` and `outputs`), a source's or sink's check. Reports the
/// factories' errors through `context` and marks the components they concern invalid. A
/// component with errors in its own options is not built: a factory reading a value the loader
/// rejected would report it again. Never throws except std::bad_alloc: a factory that throws is
/// reported as an error.
void build_components(std::vector<LoadedComponent>& components, const CheckContext& context);

} // namespace sluice
