#pragma once
// AsyncMutex: lets coroutines take turns at a resource (one transport, several writers).

#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/task.hpp"

namespace sluice {

/// A mutex for coroutines on one scheduler. lock() suspends while another coroutine holds it.
/// Not fair; meant for a handful of writers. Must outlive every waiter.
class AsyncMutex {
public:
    explicit AsyncMutex(Scheduler& scheduler) : released_(scheduler) {}

    /// Releases the mutex when it goes out of scope.
    class Guard {
    public:
        explicit Guard(AsyncMutex* mutex) : mutex_(mutex) {}
        Guard(Guard&& other) noexcept : mutex_(other.mutex_) { other.mutex_ = nullptr; }
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;
        Guard& operator=(Guard&&) = delete;
        ~Guard() {
            if (mutex_) {
                mutex_->unlock();
            }
        }

    private:
        AsyncMutex* mutex_;
    };

    /// Completes once the caller holds the mutex. Never throws.
    Task<Guard> lock() {
        while (locked_) {
            co_await released_.wait();
        }
        locked_ = true;
        co_return Guard(this);
    }
    bool locked() const { return locked_; }

private:
    void unlock() {
        locked_ = false;
        released_.notify();
    }

    bool locked_ = false;
    Notify released_;
};

} // namespace sluice
