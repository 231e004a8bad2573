#include "drivers/runtime/scope.hpp"

#include <cassert>

namespace sluice {

namespace {

/// A coroutine that starts suspended, is resumed by the scheduler, and frees itself at the end.
struct Detached {
    struct promise_type {
        Detached get_return_object() noexcept {
            return {std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        // run_in_scope catches everything; reaching here is a bug.
        void unhandled_exception() noexcept { std::terminate(); }
    };
    std::coroutine_handle<promise_type> handle;
};

} // namespace

struct ScopeAccess {
    static void finished(Scope* scope, const std::string& name, std::exception_ptr error) {
        scope->finished(name, std::move(error));
    }
};

namespace {

Detached run_in_scope(Task<void> task, Scope* scope, std::string name) {
    std::exception_ptr error;
    try {
        co_await std::move(task);
    } catch (...) {
        error = std::current_exception();
    }
    ScopeAccess::finished(scope, name, error);
}

} // namespace

Scope::Scope(Scheduler& scheduler, FailureHandler on_failure)
    : scheduler_(scheduler), on_failure_(std::move(on_failure)), idle_(scheduler) {}

Scope::~Scope() {
    assert(active_ == 0 && "Scope destroyed with tasks still running");
}

void Scope::spawn(Task<void> task, std::string name) {
    ++active_;
    auto detached = run_in_scope(std::move(task), this, std::move(name));
    scheduler_.schedule(detached.handle);
}

void Scope::finished(const std::string& name, std::exception_ptr error) {
    if (error) {
        ++failures_;
        if (on_failure_) {
            on_failure_(name, error);
        }
    }
    if (--active_ == 0) {
        idle_.notify();
    }
}

Task<void> Scope::join() {
    while (active_ > 0) {
        co_await idle_.wait();
    }
}

} // namespace sluice
