#pragma once
// The types of which a pipeline may hold only one component (KindSpec::uses_once): stdin
// sources share fd 0, stdout sinks and actuators fd 1.

#include "config/component_loader.hpp"

#include <vector>

namespace sluice {

/// Reports, at its `type`, each component of such a type after the first one (in file order;
/// sinks and actuators share their types). Never throws except std::bad_alloc.
void check_uses_once(const std::vector<LoadedComponent>& components, const CheckContext& context);

} // namespace sluice
