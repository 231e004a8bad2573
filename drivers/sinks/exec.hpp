#pragma once
// exec sink: run a program for each event, never through a shell.

#include "drivers/actuator.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/process.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/sink.hpp"
#include "pipeline/codec/template_encoder.hpp"

#include <list>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

std::span<const OptionSpec> exec_sink_options();

/// Runs `command` (an argv array) once per event. Each element, and each `env` value, is a
/// template ({field}, {field:.2f}) rendered into that one element: a value never splits into
/// more arguments and no shell sees it. The child gets a scrubbed environment (a fixed PATH,
/// `pass_env` names, `env`; never NOTIFY_SOCKET), only fds 0-2, and its own process group,
/// which `timeout` kills. At most `max_concurrent` run at once; further events wait (and the
/// queue's when_full applies). Exit statuses are counted: a non-zero exit, a signal or a
/// timeout counts in errors.
class ExecSink : public Sink, private CommandPort {
public:
    static std::unique_ptr<Sink> make(const ComponentConfig& config, Diagnostics& diagnostics,
                                      Scheduler& scheduler);
    ~ExecSink() override;

    std::uint64_t exits_ok() const { return exits_ok_; }
    std::uint64_t exits_failed() const { return exits_failed_; }
    std::uint64_t timeouts() const { return timeouts_; }
    std::size_t running() const { return children_.size(); }

protected:
    Task<void> open() override;
    Task<void> write(std::span<const Event> events) override;
    Task<void> close() override;
    void cancel_io() override;

private:
    ExecSink(const ComponentConfig& config, Scheduler& scheduler);
    bool configure(const ComponentConfig& config, Diagnostics& diagnostics);
    /// Renders an event as argv and env, serialised "argc\0arg...\0env...\0" (the actuator
    /// compares and stores commands as text).
    void render(const Event& event, std::string& out);
    Task<void> send_command(std::string_view command) override;
    bool per_command() const override { return true; }
    Task<void> start(std::string_view command);
    Task<void> watch(ChildProcess* child);

    Scheduler& scheduler_;
    std::vector<CompiledTemplate> argv_;
    std::vector<std::pair<std::string, CompiledTemplate>> env_;
    std::vector<std::string> base_env_;
    std::size_t max_concurrent_ = 4;
    std::uint64_t timeout_ms_ = 10000;
    std::unique_ptr<Actuator> actuator_;
    std::unique_ptr<Scope> watchers_;
    std::list<ChildProcess> children_;
    Notify slot_free_;
    std::string rendered_;
    std::vector<std::uint32_t> ends_;
    std::vector<std::string> args_;
    std::vector<std::string> environment_;
    std::uint64_t exits_ok_ = 0;
    std::uint64_t exits_failed_ = 0;
    std::uint64_t timeouts_ = 0;
    bool cancelled_ = false;
    RateLimitedLog log_;
};

} // namespace sluice
