#include "daemon/reload.hpp"

#include <algorithm>

namespace sluice {

namespace {

bool same_inputs(const ComponentConfig& a, const ComponentConfig& b) {
    return std::equal(a.inputs.begin(), a.inputs.end(), b.inputs.begin(), b.inputs.end(),
                      [](const InputRef& x, const InputRef& y) { return x.text() == y.text(); });
}

bool unchanged(const ComponentConfig& a, const ComponentConfig& b) {
    return a.kind == b.kind && a.type == b.type && a.fingerprint == b.fingerprint &&
           same_inputs(a, b);
}

const ComponentConfig* find(const std::vector<ComponentConfig>& list, std::string_view name) {
    for (const auto& component : list) {
        if (component.name == name) {
            return &component;
        }
    }
    return nullptr;
}

std::string names_with(const ReloadPlan& plan, ReloadAction action) {
    std::string out;
    for (const auto& entry : plan.entries) {
        if (entry.action == action) {
            out += (out.empty() ? "" : ", ") + entry.name;
        }
    }
    return out;
}

} // namespace

ReloadAction ReloadPlan::action(std::string_view name) const {
    for (const auto& entry : entries) {
        if (entry.name == name) {
            return entry.action;
        }
    }
    return ReloadAction::add;
}

std::size_t ReloadPlan::count(ReloadAction wanted) const {
    return static_cast<std::size_t>(std::count_if(
        entries.begin(), entries.end(), [&](const Entry& e) { return e.action == wanted; }));
}

std::string ReloadPlan::summary() const {
    std::string out = std::to_string(count(ReloadAction::keep)) + " kept, " +
                      std::to_string(count(ReloadAction::replace)) + " replaced, " +
                      std::to_string(count(ReloadAction::add)) + " added, " +
                      std::to_string(count(ReloadAction::remove)) + " removed";
    struct Named {
        ReloadAction action;
        const char* label;
    };
    for (auto [action, label] :
         {Named{ReloadAction::replace, "replaced"}, Named{ReloadAction::add, "added"},
          Named{ReloadAction::remove, "removed"}}) {
        if (auto names = names_with(*this, action); !names.empty()) {
            out += std::string("; ") + label + ": " + names;
        }
    }
    return out;
}

ReloadPlan plan_reload(const std::vector<ComponentConfig>& running,
                       const std::vector<ComponentConfig>& next) {
    ReloadPlan plan;
    for (const auto& component : next) {
        const auto* before = find(running, component.name);
        auto action = !before                         ? ReloadAction::add
                      : unchanged(*before, component) ? ReloadAction::keep
                                                      : ReloadAction::replace;
        plan.entries.push_back({component.name, action});
    }
    for (const auto& component : running) {
        if (!find(next, component.name)) {
            plan.entries.push_back({component.name, ReloadAction::remove});
        }
    }
    return plan;
}

} // namespace sluice
