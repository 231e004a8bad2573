#pragma once
// From a loaded configuration to live (not yet running) components wired into a graph.

#include "drivers/sink.hpp"
#include "drivers/source.hpp"
#include "pipeline/graph.hpp"
#include "pipeline/pipeline_config.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace sluice {

/// Every component of a pipeline, built but not started. Building does no I/O, so `check`
/// builds too and catches what only a component's factory can (a bad template, an option
/// combination).
struct BuiltPipeline {
    struct SourceEntry {
        std::unique_ptr<Source> source;
        Graph::NodeId node;
    };
    struct SinkEntry {
        std::unique_ptr<Sink> sink;
        Graph::NodeId node;
    };
    std::unique_ptr<Graph> graph = std::make_unique<Graph>();
    std::vector<SourceEntry> sources;
    std::vector<SinkEntry> sinks;
};

/// Builds every component of `config`. Reports problems to `diagnostics` and returns nullopt
/// if there was any. `scheduler` is only stored by sinks for later; nothing runs yet.
std::optional<BuiltPipeline> build_pipeline(const PipelineConfig& config, Scheduler& scheduler,
                                            Diagnostics& diagnostics);

/// Connects every `inputs:` entry of `config` in `graph`, whose nodes are named after the
/// components, then finishes the graph. Reports an input that names nothing, and a cycle.
bool wire_graph(Graph& graph, const PipelineConfig& config, Diagnostics& diagnostics);

} // namespace sluice
