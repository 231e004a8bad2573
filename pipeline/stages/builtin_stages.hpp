#pragma once
// Every stage type, registered explicitly (static self-registration is dropped by the linker).

#include "pipeline/options.hpp"

#include <span>

namespace sluice {

/// The KindSpec of every stage type, each with its factory.
std::span<const KindSpec> builtin_stage_kinds();

} // namespace sluice
