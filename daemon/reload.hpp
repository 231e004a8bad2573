#pragma once
// What a reload changes: which components keep running, which are replaced, added or removed.

#include "pipeline/pipeline_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class ReloadAction { keep, replace, add, remove };

/// The difference between the running configuration and a new one, component by component.
struct ReloadPlan {
    struct Entry {
        std::string name;
        ReloadAction action;
    };
    /// The new configuration's components in its order, then the removed ones.
    std::vector<Entry> entries;

    /// The action for `name`; `add` for a name the plan does not know.
    ReloadAction action(std::string_view name) const;
    std::size_t count(ReloadAction action) const;
    /// "3 kept, 1 replaced, 0 added, 0 removed", and the names of what changed.
    std::string summary() const;
};

/// A component is kept when its kind, type, options and inputs are all unchanged (its
/// fingerprint, plus the inputs list, which decides what state a stage has built up). Anything
/// else about a component with the same name means it is replaced. Pure; never throws except
/// std::bad_alloc.
ReloadPlan plan_reload(const std::vector<ComponentConfig>& running,
                       const std::vector<ComponentConfig>& next);

} // namespace sluice
