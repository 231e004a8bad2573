#include "drivers/runtime/timer.hpp"

#include "drivers/runtime/errors.hpp"

namespace sluice {

Timer::Timer(Scheduler& scheduler) : state_(new State{}) {
    state_->scheduler = &scheduler;
    uv_timer_init(scheduler.loop(), &state_->handle);
    state_->handle.data = state_;
}

void Timer::close() {
    if (!state_) {
        return;
    }
    uv_timer_stop(&state_->handle);
    state_->closed = true;
    state_->wake(UV_ECANCELED);
    uv_close(reinterpret_cast<uv_handle_t*>(&state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

void Timer::on_timer(uv_timer_t* handle) {
    static_cast<State*>(handle->data)->wake(0);
}

Timer::Awaiter::~Awaiter() {
    if (slot.registered) {
        uv_timer_stop(&state->handle);
        state->detach(slot);
    }
}

void Timer::Awaiter::await_suspend(std::coroutine_handle<> handle) {
    state->attach(slot, handle);
    uv_timer_start(&state->handle, &Timer::on_timer, ms, 0);
}

void Timer::Awaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot.status), "timer");
}

} // namespace sluice
