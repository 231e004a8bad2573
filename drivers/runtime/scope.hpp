#pragma once
// Scope: owns detached component tasks, reports their failures, and lets shutdown join them.

#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/task.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace sluice {

/// Runs tasks detached from any awaiter. A task's exception is caught at the scope (never
/// swallowed): it is passed to the failure handler with the task's name and counted. join()
/// waits for every task spawned so far. The scope must outlive its tasks: join before
/// destroying it.
class Scope {
public:
    using FailureHandler = std::function<void(const std::string& name, std::exception_ptr)>;

    explicit Scope(Scheduler& scheduler, FailureHandler on_failure = {});
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

    /// Starts `task` on the next scheduler drain. `name` identifies it in failure reports.
    void spawn(Task<void> task, std::string name);

    /// Completes when every spawned task has finished.
    Task<void> join();

    std::size_t active() const { return active_; }
    std::uint64_t failures() const { return failures_; }

private:
    friend struct ScopeAccess;
    void finished(const std::string& name, std::exception_ptr error);

    Scheduler& scheduler_;
    FailureHandler on_failure_;
    Notify idle_;
    std::size_t active_ = 0;
    std::uint64_t failures_ = 0;
};

} // namespace sluice
