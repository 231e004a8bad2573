#pragma once
// The component types a daemon knows, looked up by kind and type name.

#include "pipeline/options.hpp"

#include <deque>
#include <span>
#include <string_view>
#include <vector>

namespace sluice {

/// Every component type the daemon knows, with its options; the daemon assembles it from
/// pipeline/stages/builtin_stages.hpp and the drivers' source and sink kinds. Holds copies of
/// the KindSpecs (whose spans and views point at static tables). Pointers it hands out stay
/// valid while the registry lives, across later add() calls.
class KindRegistry {
public:
    /// Adds `spec`; a spec with the same kind and type as an earlier one replaces it.
    void add(const KindSpec& spec);
    void add(std::span<const KindSpec> specs);

    /// The spec of `type` for a component of `kind`, or nullptr. Actuators find sink types.
    const KindSpec* find(ComponentKind kind, std::string_view type) const;
    /// Every spec usable for `kind` in the order added (actuator: every sink spec).
    std::vector<const KindSpec*> all(ComponentKind kind) const;
    /// The type names of all(kind), for "expected one of" messages.
    std::vector<std::string_view> type_names(ComponentKind kind) const;

private:
    std::deque<KindSpec> specs_;
};

} // namespace sluice
