#include "daemon/reload.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

namespace {

ComponentConfig component(ComponentKind kind, std::string name, std::string fingerprint,
                          std::vector<std::string> inputs = {}) {
    ComponentConfig c;
    c.kind = kind;
    c.name = std::move(name);
    c.type = "t";
    c.fingerprint = std::move(fingerprint);
    for (auto& input : inputs) {
        c.inputs.push_back({input, "", {}});
    }
    return c;
}

} // namespace

TEST_CASE("reload plan keeps unchanged components and replaces changed ones") {
    std::vector<ComponentConfig> running = {
        component(ComponentKind::source, "in", "a"),
        component(ComponentKind::stage, "hot", "b", {"in"}),
        component(ComponentKind::stage, "old", "c", {"in"}),
        component(ComponentKind::sink, "out", "d", {"hot"}),
    };
    std::vector<ComponentConfig> next = {
        component(ComponentKind::source, "in", "a"),
        component(ComponentKind::stage, "hot", "b2", {"in"}),
        component(ComponentKind::stage, "new", "e", {"in"}),
        component(ComponentKind::sink, "out", "d", {"hot"}),
    };
    auto plan = plan_reload(running, next);
    CHECK(plan.action("in") == ReloadAction::keep);
    CHECK(plan.action("hot") == ReloadAction::replace);
    CHECK(plan.action("new") == ReloadAction::add);
    CHECK(plan.action("out") == ReloadAction::keep);
    CHECK(plan.action("old") == ReloadAction::remove);
    CHECK(plan.summary() == "2 kept, 1 replaced, 1 added, 1 removed; replaced: hot; added: new; "
                            "removed: old");
}

TEST_CASE("reload plan replaces a stage whose inputs changed even with the same options") {
    std::vector<ComponentConfig> running = {component(ComponentKind::stage, "w", "x", {"a"})};
    std::vector<ComponentConfig> next = {component(ComponentKind::stage, "w", "x", {"a", "b"})};
    CHECK(plan_reload(running, next).action("w") == ReloadAction::replace);
}

TEST_CASE("reload plan replaces a component that changed kind or type") {
    std::vector<ComponentConfig> running = {component(ComponentKind::sink, "out", "x")};
    std::vector<ComponentConfig> next = {component(ComponentKind::actuator, "out", "x")};
    CHECK(plan_reload(running, next).action("out") == ReloadAction::replace);
    next[0].kind = ComponentKind::sink;
    next[0].type = "other";
    CHECK(plan_reload(running, next).action("out") == ReloadAction::replace);
}

TEST_CASE("reload plan of an identical configuration keeps everything") {
    std::vector<ComponentConfig> same = {component(ComponentKind::source, "a", "1"),
                                         component(ComponentKind::sink, "b", "2", {"a"})};
    auto plan = plan_reload(same, same);
    CHECK(plan.count(ReloadAction::keep) == 2);
    CHECK(plan.summary() == "2 kept, 0 replaced, 0 added, 0 removed");
}
