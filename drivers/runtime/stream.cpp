#include "drivers/runtime/stream.hpp"

#include "drivers/runtime/errors.hpp"

#include <utility>

namespace sluice {

namespace {
uv_handle_t* as_handle(uv_any_handle& h) {
    return &h.handle;
}

/// As much of `bytes` as the kernel takes now (uv_try_write), removed from its front; false
/// when the stream can take nothing more now (UV_EAGAIN) or has failed.
bool try_write_some(uv_stream_t* stream, std::string_view& bytes) {
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
    int written = uv_try_write(stream, &buf, 1);
    if (written <= 0) {
        return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    return true;
}
} // namespace

Stream Stream::tcp(Scheduler& scheduler) {
    auto* state = new State{};
    state->scheduler = &scheduler;
    uv_tcp_init(scheduler.loop(), &state->handle.tcp);
    state->handle.handle.data = state;
    return Stream{state};
}

Stream Stream::pipe(Scheduler& scheduler) {
    auto* state = new State{};
    state->scheduler = &scheduler;
    uv_pipe_init(scheduler.loop(), &state->handle.pipe, 0);
    state->handle.handle.data = state;
    return Stream{state};
}

Stream Stream::open_fd(Scheduler& scheduler, int fd, Type type) {
    auto* state = new State{};
    state->scheduler = &scheduler;
    int status = 0;
    if (type == Type::tty) {
        status = uv_tty_init(scheduler.loop(), &state->handle.tty, fd, 0);
    } else {
        uv_pipe_init(scheduler.loop(), &state->handle.pipe, 0);
        status = uv_pipe_open(&state->handle.pipe, fd);
        if (status < 0) {
            // The handle was initialised, so it must be closed rather than deleted.
            state->handle.handle.data = state;
            Stream doomed{state};
            throw IoError("open fd as stream", status);
        }
    }
    if (status < 0) {
        delete state;
        throw IoError("open tty", status);
    }
    state->handle.handle.data = state;
    return Stream{state};
}

Stream::Stream(Stream&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

Stream& Stream::operator=(Stream&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
}

uv_stream_t* Stream::handle() {
    return state_ ? &state_->handle.stream : nullptr;
}

std::size_t Stream::write_queue_size() {
    return state_ ? uv_stream_get_write_queue_size(&state_->handle.stream) : 0;
}

void Stream::close() {
    if (!state_) {
        return;
    }
    state_->closed = true;
    stop_reading(*state_);
    state_->wake(UV_ECANCELED);
    // Pending writes complete with UV_ECANCELED from inside uv_close's machinery.
    uv_close(as_handle(state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

void Stream::stop_reading(State& state) {
    uv_read_stop(&state.handle.stream);
    state.reading = false;
}

// Reading stays switched on from one read to the next while the reader keeps coming back:
// switching it off and on again costs two epoll_ctl calls per read, which at a few events per
// read is most of the syscalls an event costs. Backpressure still reaches the kernel: bytes that
// arrive while no read waits get no buffer, and only then is reading switched off.
void Stream::on_alloc(uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
    auto* state = static_cast<State*>(handle->data);
    if (state->waiter == nullptr) {
        *buf = uv_buf_init(nullptr, 0); // libuv answers with UV_ENOBUFS and reads nothing
        return;
    }
    *buf = uv_buf_init(state->read_buffer.data(),
                       static_cast<unsigned int>(state->read_buffer.size()));
}

void Stream::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t*) {
    auto* state = static_cast<State*>(stream->data);
    if (nread == 0) {
        return; // EAGAIN: libuv will call again when there is data.
    }
    if (nread == UV_ENOBUFS && state->waiter == nullptr) {
        stop_reading(*state); // no reader: the bytes wait in the kernel until one comes
        return;
    }
    if (nread < 0) {
        stop_reading(*state); // end of stream or an error: nothing more to read
    }
    state->wake(nread);
}

Stream::ReadAwaiter::~ReadAwaiter() {
    if (slot.registered) {
        stop_reading(*state);
        state->detach(slot);
    }
}

void Stream::ReadAwaiter::await_suspend(std::coroutine_handle<> handle) {
    state->attach(slot, handle);
    state->read_buffer = buffer;
    if (state->reading) {
        return;
    }
    int status = uv_read_start(&state->handle.stream, &Stream::on_alloc, &Stream::on_read);
    if (status < 0) {
        state->wake(status);
        return;
    }
    state->reading = true;
}

std::size_t Stream::ReadAwaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    if (slot.status == UV_EOF) {
        return 0;
    }
    throw_if_error(static_cast<int>(slot.status), "read");
    return static_cast<std::size_t>(slot.status);
}

bool Stream::WriteAwaiter::await_ready() {
    if (state == nullptr) {
        return true;
    }
    // Most writes fit in the socket buffer: try without a request first.
    try_write_some(&state->handle.stream, bytes);
    return bytes.empty();
}

bool Stream::write_now(std::string_view bytes) {
    if (!state_) {
        return false;
    }
    while (!bytes.empty()) {
        if (!try_write_some(&state_->handle.stream, bytes)) {
            return false;
        }
    }
    return true;
}

void Stream::WriteAwaiter::await_suspend(std::coroutine_handle<> handle) {
    request = new WriteRequest{};
    request->scheduler = state->scheduler;
    request->waiter = &slot;
    request->req.data = request;
    slot.handle = handle;
    slot.registered = true;
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
    int status = uv_write(&request->req, &state->handle.stream, &buf, 1, &Stream::on_write);
    if (status < 0) {
        delete request;
        request = nullptr;
        slot.registered = false;
        slot.status = status;
        state->scheduler->schedule(handle);
    }
}

void Stream::on_write(uv_write_t* req, int status) {
    auto* request = static_cast<WriteRequest*>(req->data);
    if (auto* slot = request->waiter) {
        slot->registered = false;
        slot->status = status;
        request->scheduler->schedule(slot->handle);
    }
    delete request;
}

Stream::WriteAwaiter::~WriteAwaiter() {
    if (slot.registered && request) {
        // The frame goes away mid-write: the request completes later without resuming it.
        request->waiter = nullptr;
    }
}

void Stream::WriteAwaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot.status), "write");
}

} // namespace sluice
