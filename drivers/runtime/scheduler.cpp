#include "drivers/runtime/scheduler.hpp"

#include <cstdlib>

namespace sluice {

namespace {
// Resumptions per drain before the loop gets to poll for I/O again, so a busy coroutine
// cannot starve sockets and timers.
constexpr int kMaxResumesPerDrain = 4096;
} // namespace

Scheduler::Scheduler() {
    uv_loop_init(&loop_);
    loop_.data = this;
    uv_prepare_init(&loop_, &prepare_);
    uv_check_init(&loop_, &check_);
    uv_idle_init(&loop_, &idle_);
    prepare_.data = check_.data = idle_.data = this;
    // prepare and check keep no loop alive by themselves: the loop lives while real work does.
    uv_prepare_start(&prepare_, &Scheduler::on_prepare);
    uv_check_start(&check_, &Scheduler::on_check);
    uv_unref(reinterpret_cast<uv_handle_t*>(&prepare_));
    uv_unref(reinterpret_cast<uv_handle_t*>(&check_));
}

Scheduler::~Scheduler() {
    close();
}

Scheduler& Scheduler::of(uv_loop_t* loop) {
    return *static_cast<Scheduler*>(loop->data);
}

void Scheduler::schedule(std::coroutine_handle<> handle) {
    ready_.push_back(handle);
    if (!idle_active_) {
        // An active idle handle makes the next poll non-blocking, so the queue is drained
        // promptly even when scheduling happened outside a libuv callback.
        uv_idle_start(&idle_, &Scheduler::on_idle);
        idle_active_ = true;
    }
}

void Scheduler::drain() {
    for (int i = 0; i < kMaxResumesPerDrain && !ready_.empty(); ++i) {
        auto handle = ready_.front();
        ready_.pop_front();
        handle.resume();
    }
    if (ready_.empty() && idle_active_) {
        uv_idle_stop(&idle_);
        idle_active_ = false;
    }
}

void Scheduler::on_prepare(uv_prepare_t* handle) {
    static_cast<Scheduler*>(handle->data)->drain();
}
void Scheduler::on_check(uv_check_t* handle) {
    static_cast<Scheduler*>(handle->data)->drain();
}
void Scheduler::on_idle(uv_idle_t* handle) {
    static_cast<Scheduler*>(handle->data)->drain();
}

void Scheduler::run() {
    drain();
    uv_run(&loop_, UV_RUN_DEFAULT);
}

void Scheduler::run_once_nowait() {
    drain();
    uv_run(&loop_, UV_RUN_NOWAIT);
}

bool Scheduler::close() {
    if (loop_.data == nullptr) {
        return true;
    }
    for (auto* h :
         {reinterpret_cast<uv_handle_t*>(&prepare_), reinterpret_cast<uv_handle_t*>(&check_),
          reinterpret_cast<uv_handle_t*>(&idle_)}) {
        if (!uv_is_closing(h)) {
            uv_close(h, nullptr);
        }
    }
    // Close callbacks of other handles run here too; a handle still open is a leak.
    for (int i = 0; i < 16; ++i) {
        uv_run(&loop_, UV_RUN_NOWAIT);
        if (uv_loop_close(&loop_) == 0) {
            loop_.data = nullptr;
            return true;
        }
    }
    return false;
}

} // namespace sluice
