#pragma once
// The running pipeline: the graph, the source and sink tasks, and the swap a reload makes.

#include "daemon/pipeline_builder.hpp"
#include "daemon/reload.hpp"
#include "daemon/status_report.hpp"
#include "daemon/tap.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/timer.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sluice {

/// What the shutdown drain still waits for, narrowed by repeated stop signals.
enum class DrainScope {
    queued_events, ///< every queued event is written (up to shutdown_timeout)
    safe_states,   ///< queues are dropped; actuators still write their safe state
    nothing,       ///< every sink is aborted; safe states get one write that does not wait
};

/// Runs the components of a BuiltPipeline on the scheduler and swaps them on reload.
///
/// Sources push into the graph synchronously, so a swap made between two pushes loses no
/// event. A replaced or removed source is stopped; a replaced or removed sink is stopped and
/// drains its queue (up to shutdown_timeout, then it is aborted and the rest counted as
/// dropped). A replacement starts only once its predecessor of the same name has finished, so
/// it can take over the same port, device or file, and a sink's output stays in order.
class PipelineRunner {
public:
    /// `on_finished` is called, with the reason, when the pipeline has nothing left to do: no
    /// source is running any more, or every sink's output has gone for good (Sink::gone).
    PipelineRunner(Scheduler& scheduler, std::function<void(const char* why)> on_finished);
    ~PipelineRunner();
    PipelineRunner(const PipelineRunner&) = delete;
    PipelineRunner& operator=(const PipelineRunner&) = delete;

    /// Starts every component of `built`: sinks first, then sources.
    void start(const PipelineConfig& config, BuiltPipeline built);

    /// Switches to `config`: components the plan keeps go on running (stages keep their state
    /// and counters); the others come from `fresh`, which was built from `config`. Never fails:
    /// everything that can fail was checked while building `fresh`.
    void swap(const ReloadPlan& plan, const PipelineConfig& config, BuiltPipeline fresh);

    /// Shutdown, first step: stops every source and waits until they have all returned, then
    /// flushes the stages (Stage::flush): no more input can come, so open windows and
    /// debounced events go to the sinks now or never.
    Task<void> stop_sources();
    /// Shutdown, second step: sinks write what is queued and close; after `timeout` the rest
    /// is dropped (counted) and the sinks are aborted.
    Task<void> drain_sinks(Nanos timeout);
    /// Stops waiting for part of the drain, now or as soon as drain_sinks() begins: dropped
    /// events are counted and logged per sink. Never widens a scope already narrowed.
    void narrow_drain(DrainScope scope);

    /// One row per component, in configuration order.
    std::vector<ComponentRow> rows(Nanos now) const;
    std::size_t sources_running() const { return sources_running_; }

    /// Attaches `tap` to the component it names. False (and `error`) for an unknown component
    /// or a sink, which emits nothing into the pipeline.
    bool add_tap(TapObserver* tap, std::string& error);
    void remove_tap(TapObserver* tap);

    /// How long a replaced sink may take to drain before it is aborted.
    void set_drain_timeout(Nanos timeout) { drain_timeout_ = timeout; }

private:
    struct SourceSlot;
    struct SinkSlot;
    struct NodeInfo {
        std::string kind;
        std::string type;
        std::uint64_t errors_logged = 0; // the stage's errors counter when last looked at
    };

    /// The next graph and slots while a swap puts them together.
    struct Assembly {
        std::unique_ptr<Graph> graph;
        std::vector<std::shared_ptr<SourceSlot>> sources;
        std::vector<std::shared_ptr<SinkSlot>> sinks;
        std::vector<std::shared_ptr<SourceSlot>> new_sources;
        std::vector<std::shared_ptr<SinkSlot>> new_sinks;
    };

    Assembly assemble(const ReloadPlan& plan, const PipelineConfig& config, BuiltPipeline& fresh);
    void assemble_source(const ComponentConfig& component, bool keep, BuiltPipeline& fresh,
                         Assembly& next);
    void assemble_sink(const ComponentConfig& component, bool keep, BuiltPipeline& fresh,
                       Assembly& next);
    std::shared_ptr<SourceSlot> find_source(const std::string& name) const;
    std::shared_ptr<SinkSlot> find_sink(const std::string& name) const;
    void push(Graph::NodeId node, EventBatch& batch);
    void arm_deadline();
    static void on_deadline(uv_timer_t* timer);
    void spawn_source(std::shared_ptr<SourceSlot> slot);
    void spawn_sink(std::shared_ptr<SinkSlot> slot);
    Task<void> run_source(std::shared_ptr<SourceSlot> slot);
    Task<void> run_sink(std::shared_ptr<SinkSlot> slot);
    Task<void> abort_after(std::shared_ptr<SinkSlot> slot, Nanos timeout);
    Task<void> abort_all_after(Timer* timer, const bool* drained, Nanos timeout);
    void apply_drain_scope();
    /// Calls `fn` with each sink, replaced ones included, whose run() has not ended.
    template <typename Fn>
    void for_each_unfinished_sink(Fn fn);
    void retire_source(const std::shared_ptr<SourceSlot>& slot);
    void retire_sink(const std::shared_ptr<SinkSlot>& slot);
    void source_finished();
    /// Calls on_finished_ when every sink's output has gone for good (Sink::gone).
    void check_sinks_gone();
    void describe(const PipelineConfig& config);
    /// Logs, at a limited rate per stage, the events stages dropped on run-time errors since
    /// the last look (the stages themselves only count them).
    void log_stage_errors();
    void reattach_taps();
    struct TapPoint {
        Graph::NodeId node;
        std::uint32_t output; // Graph::kAllOutputs for the whole component
    };
    /// Where a tap of `name` (a source, a stage, or a stage's named output: `split.hot`)
    /// attaches; nullopt with `error` saying why when it cannot.
    std::optional<TapPoint> tap_point(const std::string& name, std::string& error) const;
    void carry_counters(const Graph& old_graph, const ReloadPlan& plan);
    ComponentRow stage_row(Graph::NodeId node, Nanos now) const;

    Scheduler& scheduler_;
    std::function<void(const char* why)> on_finished_;
    std::unique_ptr<Graph> graph_;
    std::vector<NodeInfo> nodes_; // by graph node id
    std::vector<std::shared_ptr<SourceSlot>> sources_;
    std::vector<std::shared_ptr<SinkSlot>> sinks_;
    std::vector<std::shared_ptr<SinkSlot>> draining_; // replaced or removed, still writing
    std::unordered_map<std::string, Graph::NodeCounters> carried_; // kept stages, earlier graphs
    std::vector<TapObserver*> taps_;
    std::unordered_map<std::string, RateLimitedLog> stage_logs_; // by stage name
    Scope source_tasks_;
    Scope sink_tasks_;
    Scope timers_;
    Notify capacity_;
    uv_timer_t* deadline_timer_ = nullptr;
    Nanos armed_deadline_ = kNever;
    Nanos drain_timeout_ = 5'000'000'000;
    std::size_t sources_running_ = 0;
    bool stopping_ = false;
    bool draining_sinks_ = false;
    DrainScope drain_scope_ = DrainScope::queued_events;
};

} // namespace sluice
