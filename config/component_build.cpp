#include "config/component_build.hpp"

#include "pipeline/stage.hpp"

#include <exception>

namespace sluice {
namespace {

/// Runs `build` (a factory; true when it built the component) for `loaded`. A factory that
/// throws, or fails without saying why, is reported; a component with new errors is marked
/// invalid. Returns whether it was built without errors.
template <typename Build>
bool run_factory(LoadedComponent& loaded, const CheckContext& context, Build build) {
    const auto& config = loaded.config;
    auto& diagnostics = context.diagnostics;
    std::size_t errors_before = diagnostics.error_count();
    try {
        if (!build() && diagnostics.error_count() == errors_before) {
            diagnostics.error(config.position,
                              describe(config.kind, config.name) + " could not be built");
        }
    } catch (const std::exception& e) {
        diagnostics.error(config.position,
                          describe(config.kind, config.name) + " could not be built: " + e.what());
    }
    if (diagnostics.error_count() != errors_before) {
        loaded.valid = false;
        return false;
    }
    return true;
}

void build_one(LoadedComponent& loaded, const CheckContext& context) {
    const auto& spec = *loaded.spec;
    if (loaded.config.kind != ComponentKind::stage) {
        loaded.built = !spec.check || run_factory(loaded, context, [&] {
            return spec.check(loaded.config, context.diagnostics);
        });
        return;
    }
    if (!spec.make_stage) {
        loaded.built = true; // a kind without a factory has only the default output
        return;
    }
    loaded.built = run_factory(loaded, context, [&] {
        auto stage = spec.make_stage(loaded.config, context.diagnostics);
        if (stage) {
            loaded.outputs = stage->output_names();
        }
        return stage != nullptr;
    });
}

} // namespace

void build_components(std::vector<LoadedComponent>& components, const CheckContext& context) {
    for (auto& loaded : components) {
        if (loaded.valid && loaded.spec) {
            build_one(loaded, context);
        }
    }
}

} // namespace sluice
