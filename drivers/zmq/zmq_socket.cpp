#include "drivers/zmq/zmq_socket.hpp"

#include "drivers/runtime/errors.hpp"

#include <cerrno>

namespace sluice {

ZmqSocket::ZmqSocket(Scheduler& scheduler, int type) {
    auto context = ZmqContext::acquire();
    void* socket = zmq_socket(context->get(), type);
    if (socket == nullptr) {
        throw ZmqError("zmq_socket", zmq_errno());
    }
    int fd = -1;
    std::size_t size = sizeof fd;
    if (zmq_getsockopt(socket, ZMQ_FD, &fd, &size) != 0) {
        int code = zmq_errno();
        zmq_close(socket);
        throw ZmqError("ZMQ_FD", code);
    }
    auto* state = new State{};
    state->scheduler = &scheduler;
    state->socket = socket;
    state->context = std::move(context);
    int status = uv_poll_init(scheduler.loop(), &state->handle, fd);
    if (status == 0) {
        state->handle.data = state;
        // Always watching: see the class comment for why this costs no spurious wake-ups.
        status = uv_poll_start(&state->handle, UV_READABLE, &ZmqSocket::on_poll);
        if (status < 0) {
            state_ = state;
            close(0);
            throw IoError("uv_poll_start on ZMQ_FD", status);
        }
    } else {
        zmq_close(socket);
        delete state;
        throw IoError("uv_poll_init on ZMQ_FD", status);
    }
    state_ = state;
}

void ZmqSocket::set_int(int option, int value, const char* name) {
    if (!state_ || zmq_setsockopt(state_->socket, option, &value, sizeof value) != 0) {
        throw ZmqError(name, state_ ? zmq_errno() : ENOTSOCK);
    }
}

void ZmqSocket::set_int64(int option, std::int64_t value, const char* name) {
    if (!state_ || zmq_setsockopt(state_->socket, option, &value, sizeof value) != 0) {
        throw ZmqError(name, state_ ? zmq_errno() : ENOTSOCK);
    }
}

void ZmqSocket::set_bytes(int option, std::string_view value, const char* name) {
    if (!state_ || zmq_setsockopt(state_->socket, option, value.data(), value.size()) != 0) {
        throw ZmqError(name, state_ ? zmq_errno() : ENOTSOCK);
    }
}

void ZmqSocket::bind(const std::string& endpoint) {
    if (!state_ || zmq_bind(state_->socket, endpoint.c_str()) != 0) {
        throw ZmqError("bind " + endpoint, state_ ? zmq_errno() : ENOTSOCK);
    }
}

void ZmqSocket::connect(const std::string& endpoint) {
    if (!state_ || zmq_connect(state_->socket, endpoint.c_str()) != 0) {
        throw ZmqError("connect " + endpoint, state_ ? zmq_errno() : ENOTSOCK);
    }
}

int ZmqSocket::read_events(void* socket) {
    int events = 0;
    std::size_t size = sizeof events;
    while (zmq_getsockopt(socket, ZMQ_EVENTS, &events, &size) != 0) {
        if (zmq_errno() != EINTR) {
            return 0;
        }
    }
    return events;
}

int ZmqSocket::events() {
    return state_ ? read_events(state_->socket) : 0;
}

bool ZmqSocket::receive(ZmqMessage& message) {
    if (!state_) {
        throw Cancelled{};
    }
    while (zmq_msg_recv(message.get(), state_->socket, ZMQ_DONTWAIT) < 0) {
        int code = zmq_errno();
        if (code == EAGAIN) {
            return false;
        }
        if (code != EINTR) {
            throw ZmqError("zmq_msg_recv", code);
        }
    }
    return true;
}

bool ZmqSocket::send(std::string_view frame, bool more) {
    if (!state_) {
        throw Cancelled{};
    }
    int flags = ZMQ_DONTWAIT | (more ? ZMQ_SNDMORE : 0);
    while (zmq_send(state_->socket, frame.data(), frame.size(), flags) < 0) {
        int code = zmq_errno();
        if (code == EAGAIN) {
            return false;
        }
        if (code != EINTR) {
            throw ZmqError("zmq_send", code);
        }
    }
    return true;
}

void ZmqSocket::close(int linger_ms) {
    auto* state = state_;
    if (!state) {
        return;
    }
    state_ = nullptr;
    zmq_setsockopt(state->socket, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
    uv_poll_stop(&state->handle);
    state->closed = true;
    state->wake(UV_ECANCELED);
    // libuv must be done with ZMQ_FD before libzmq closes it, so zmq_close waits for the close
    // callback. Dropping the last context reference there terminates the context.
    uv_close(reinterpret_cast<uv_handle_t*>(&state->handle), [](uv_handle_t* handle) {
        auto* closing = static_cast<State*>(handle->data);
        zmq_close(closing->socket);
        delete closing;
    });
}

void ZmqSocket::cancel_waits() {
    if (state_) {
        state_->cancelled = true;
        state_->wake(UV_ECANCELED);
    }
}

void ZmqSocket::on_poll(uv_poll_t* handle, int status, int /*events*/) {
    auto* state = static_cast<State*>(handle->data);
    ++state->wakes;
    if (status < 0) {
        uv_poll_stop(handle);
        state->failed = status;
        state->wake(status);
        return;
    }
    // Reading ZMQ_EVENTS processes the commands that signalled the fd, which also clears it.
    int events = read_events(state->socket);
    if (state->waiter && (state->wanted == 0 || (events & state->wanted) != 0)) {
        state->wake(events);
    }
}

ZmqSocket::Awaiter::~Awaiter() {
    if (slot.registered && state) {
        state->detach(slot);
    }
}

bool ZmqSocket::Awaiter::await_ready() {
    if (!owner->state_ || owner->state_->cancelled) {
        slot.status = UV_ECANCELED;
        return true;
    }
    if (owner->state_->failed != 0) {
        slot.status = owner->state_->failed;
        return true;
    }
    if (mask == 0) {
        return false;
    }
    int events = owner->events();
    if ((events & mask) != 0) {
        slot.status = events;
        return true;
    }
    return false;
}

void ZmqSocket::Awaiter::await_suspend(std::coroutine_handle<> handle) {
    state = owner->state_;
    state->wanted = mask;
    state->attach(slot, handle);
}

int ZmqSocket::Awaiter::await_resume() const {
    throw_if_error(static_cast<int>(slot.status), "zmq poll");
    return static_cast<int>(slot.status);
}

} // namespace sluice
