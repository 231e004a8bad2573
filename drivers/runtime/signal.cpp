#include "drivers/runtime/signal.hpp"

#include "drivers/runtime/errors.hpp"

namespace sluice {

Signal::Signal(Scheduler& scheduler, int signum) : state_(new State{}) {
    state_->scheduler = &scheduler;
    uv_signal_init(scheduler.loop(), &state_->handle);
    state_->handle.data = state_;
    uv_signal_start(&state_->handle, &Signal::on_signal, signum);
}

void Signal::close() {
    if (!state_) {
        return;
    }
    uv_signal_stop(&state_->handle);
    state_->closed = true;
    state_->wake(UV_ECANCELED);
    uv_close(reinterpret_cast<uv_handle_t*>(&state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

void Signal::on_signal(uv_signal_t* handle, int) {
    auto* state = static_cast<State*>(handle->data);
    if (state->waiter) {
        state->wake(0);
    } else {
        ++state->pending;
    }
}

bool Signal::Awaiter::await_ready() noexcept {
    if (state == nullptr) {
        return true;
    }
    if (state->pending > 0) {
        --state->pending;
        return true;
    }
    return false;
}

void Signal::Awaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot.status), "signal");
}

} // namespace sluice
