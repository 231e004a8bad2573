#include "daemon/pipeline_builder.hpp"

#include "daemon/registry.hpp"
#include "drivers/builtin.hpp"

#include <algorithm>
#include <unordered_map>

namespace sluice {

namespace {

const SourceKind* find_source_kind(std::string_view type) {
    for (const auto& kind : builtin_source_kinds()) {
        if (kind.spec.type == type) {
            return &kind;
        }
    }
    return nullptr;
}

const SinkKind* find_sink_kind(std::string_view type) {
    for (const auto& kind : builtin_sink_kinds()) {
        if (kind.spec.type == type) {
            return &kind;
        }
    }
    return nullptr;
}

bool add_component(const ComponentConfig& component, BuiltPipeline& built, Scheduler& scheduler,
                   Diagnostics& diagnostics) {
    auto& graph = *built.graph;
    switch (component.kind) {
    case ComponentKind::source: {
        const auto* kind = find_source_kind(component.type);
        auto source = kind ? kind->make(component, diagnostics) : nullptr;
        if (!source) {
            return false;
        }
        built.sources.push_back({std::move(source), graph.add_source(component.name)});
        return true;
    }
    case ComponentKind::stage: {
        const auto* spec = builtin_registry().find(ComponentKind::stage, component.type);
        auto stage = spec && spec->make_stage ? spec->make_stage(component, diagnostics) : nullptr;
        if (!stage) {
            return false;
        }
        graph.add_stage(component.name, std::move(stage));
        return true;
    }
    case ComponentKind::sink:
    case ComponentKind::actuator: {
        const auto* kind = find_sink_kind(component.type);
        auto sink = kind ? kind->make(component, diagnostics, scheduler) : nullptr;
        if (!sink) {
            return false;
        }
        auto node = graph.add_sink(component.name, sink.get());
        built.sinks.push_back({std::move(sink), node});
        return true;
    }
    }
    return false;
}

std::uint32_t output_port(const Graph& graph, Graph::NodeId node, const std::string& output) {
    if (output.empty() || graph.kind(node) != Graph::NodeKind::stage) {
        return 0;
    }
    auto names = graph.stage(node)->output_names();
    auto it = std::find(names.begin(), names.end(), output);
    return it == names.end() ? 0 : static_cast<std::uint32_t>(it - names.begin());
}

} // namespace

bool wire_graph(Graph& graph, const PipelineConfig& config, Diagnostics& diagnostics) {
    bool ok = true;
    for (const auto& component : config.components) {
        auto to = graph.find(component.name);
        for (const auto& input : component.inputs) {
            auto from = graph.find(input.component);
            if (!to || !from) {
                diagnostics.error(input.position, "input '" + input.text() + "' names nothing");
                ok = false;
                continue;
            }
            graph.connect(*from, output_port(graph, *from, input.output), *to);
        }
    }
    if (!ok) {
        return false;
    }
    if (auto cycle = graph.finish(); !cycle.empty()) {
        diagnostics.error({}, "the pipeline has a cycle");
        return false;
    }
    return true;
}

std::optional<BuiltPipeline> build_pipeline(const PipelineConfig& config, Scheduler& scheduler,
                                            Diagnostics& diagnostics) {
    BuiltPipeline built;
    bool ok = true;
    for (const auto& component : config.components) {
        if (!add_component(component, built, scheduler, diagnostics)) {
            if (!diagnostics.has_errors()) {
                diagnostics.error(component.position,
                                  "cannot build " + std::string(kind_name(component.kind)) + " '" +
                                      component.name + "' of type '" + component.type + "'");
            }
            ok = false;
        }
    }
    if (!ok || !wire_graph(*built.graph, config, diagnostics)) {
        return std::nullopt;
    }
    return built;
}

} // namespace sluice
