#include "drivers/runtime/poll.hpp"

#include "drivers/runtime/errors.hpp"

namespace sluice {

Poll::Poll(Scheduler& scheduler, int fd) : state_(new State{}) {
    state_->scheduler = &scheduler;
    int status = uv_poll_init(scheduler.loop(), &state_->handle, fd);
    if (status < 0) {
        delete state_;
        state_ = nullptr;
        throw IoError("poll", status);
    }
    state_->handle.data = state_;
}

void Poll::close() {
    if (!state_) {
        return;
    }
    uv_poll_stop(&state_->handle);
    state_->closed = true;
    state_->wake(UV_ECANCELED);
    uv_close(reinterpret_cast<uv_handle_t*>(&state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

void Poll::on_poll(uv_poll_t* handle, int status, int events) {
    // One wake-up per wait: stopping here means an idle fd costs no further wake-ups.
    uv_poll_stop(handle);
    static_cast<State*>(handle->data)->wake(status < 0 ? status : events);
}

Poll::Awaiter::~Awaiter() {
    if (slot.registered) {
        uv_poll_stop(&state->handle);
        state->detach(slot);
    }
}

void Poll::Awaiter::await_suspend(std::coroutine_handle<> handle) {
    state->attach(slot, handle);
    int status = uv_poll_start(&state->handle, events, &Poll::on_poll);
    if (status < 0) {
        state->wake(status);
    }
}

int Poll::Awaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot.status), "poll");
    return static_cast<int>(slot.status);
}

} // namespace sluice
