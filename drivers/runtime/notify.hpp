#pragma once
// Notify: wakes coroutines waiting for a condition that another coroutine changes.

#include "drivers/runtime/scheduler.hpp"

#include <coroutine>
#include <vector>

namespace sluice {

/// A level-free wake-up: wait() suspends until the next notify() (or returns at once if a
/// notify() came since the last wait returned). Waiters resume through the scheduler. Waiters
/// must not be destroyed while suspended on it.
class Notify {
public:
    explicit Notify(Scheduler& scheduler) : scheduler_(&scheduler) {}

    /// Wakes every waiter, or remembers the wake-up if nobody waits.
    void notify() {
        if (waiters_.empty()) {
            pending_ = true;
            return;
        }
        for (auto handle : waiters_) {
            scheduler_->schedule(handle);
        }
        waiters_.clear();
    }

    auto wait() {
        struct Awaiter {
            Notify& notify;
            bool await_ready() noexcept {
                if (notify.pending_) {
                    notify.pending_ = false;
                    return true;
                }
                return false;
            }
            void await_suspend(std::coroutine_handle<> handle) {
                notify.waiters_.push_back(handle);
            }
            void await_resume() noexcept {}
        };
        return Awaiter{*this};
    }

private:
    Scheduler* scheduler_;
    std::vector<std::coroutine_handle<>> waiters_;
    bool pending_ = false;
};

} // namespace sluice
