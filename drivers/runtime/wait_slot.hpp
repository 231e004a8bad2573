#pragma once
// The link between a libuv handle and the one coroutine waiting on it.

#include "drivers/runtime/scheduler.hpp"

#include <coroutine>

namespace sluice {

/// Lives in an awaiter (inside the waiting coroutine's frame). A handle's state points at it
/// while the coroutine waits; the handle writes the outcome here, never into a state that the
/// close callback may already have freed.
struct WaitSlot {
    std::coroutine_handle<> handle;
    long status = 0; // bytes, events mask, or a negative libuv error
    bool registered = false;
};

/// The part of every handle's heap state that tracks its waiter.
struct WaiterLink {
    Scheduler* scheduler = nullptr;
    WaitSlot* waiter = nullptr;
    bool closed = false;

    void attach(WaitSlot& slot, std::coroutine_handle<> handle) {
        slot.handle = handle;
        slot.registered = true;
        waiter = &slot;
    }
    /// Hands `status` to the waiter, if any, and schedules it.
    void wake(long status) {
        if (auto* slot = waiter) {
            waiter = nullptr;
            slot->registered = false;
            slot->status = status;
            scheduler->schedule(slot->handle);
        }
    }
    /// Called from an awaiter's destructor: a frame destroyed mid-wait must not be resumed.
    void detach(WaitSlot& slot) {
        if (slot.registered && waiter == &slot) {
            waiter = nullptr;
            slot.registered = false;
        }
    }
};

} // namespace sluice
