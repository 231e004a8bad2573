#include "drivers/runtime/socket.hpp"

#include "drivers/runtime/errors.hpp"
#include "pipeline/value_checks.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace sluice {

namespace {

uv_handle_t* as_handle(uv_any_handle& h) {
    return &h.handle;
}

/// A socket file left behind by a process that died: nobody accepts on it any more.
bool is_stale_socket(const std::string& path, const sockaddr_un& address) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0 || !S_ISSOCK(info.st_mode)) {
        return false;
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    bool refused =
        ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 &&
        errno == ECONNREFUSED;
    ::close(fd);
    return refused;
}

} // namespace

Listener Listener::tcp(Scheduler& scheduler, const SocketAddress& address, int backlog) {
    auto* state = new State{};
    state->scheduler = &scheduler;
    uv_tcp_init(scheduler.loop(), &state->handle.tcp);
    state->handle.handle.data = state;
    Listener listener(state);
    throw_if_error(uv_tcp_bind(&state->handle.tcp, address.get(), 0), "bind");
    throw_if_error(uv_listen(&state->handle.stream, backlog, &Listener::on_connection), "listen");
    return listener;
}

Listener Listener::unix_socket(Scheduler& scheduler, const std::string& path, unsigned mode,
                               int backlog) {
    // Checked first: libuv (before 1.46) would cut a long path short and bind another name.
    auto address = unix_socket_address(path);
    auto* state = new State{};
    state->scheduler = &scheduler;
    state->is_tcp = false;
    uv_pipe_init(scheduler.loop(), &state->handle.pipe, 0);
    state->handle.handle.data = state;
    Listener listener(state);
    if (is_stale_socket(path, address)) {
        ::unlink(path.c_str());
    }
    throw_if_error(uv_pipe_bind(&state->handle.pipe, path.c_str()), ("bind " + path).c_str());
    ::chmod(path.c_str(), mode);
    throw_if_error(uv_listen(&state->handle.stream, backlog, &Listener::on_connection), "listen");
    return listener;
}

Listener::Listener(Listener&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

Listener& Listener::operator=(Listener&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
}

void Listener::close() {
    if (!state_) {
        return;
    }
    state_->closed = true;
    state_->wake(UV_ECANCELED);
    uv_close(as_handle(state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

std::uint16_t Listener::port() const {
    if (!state_ || !state_->is_tcp) {
        return 0;
    }
    uv_os_fd_t fd = -1;
    uv_fileno(as_handle(state_->handle), &fd);
    return bound_port(fd);
}

void Listener::on_connection(uv_stream_t* server, int status) {
    auto* state = static_cast<State*>(server->data);
    // Not accepting here leaves the connection in the backlog: libuv stops watching the
    // socket until uv_accept() runs, so an unaccepted backlog costs no wake-ups.
    if (status < 0) {
        state->error = status;
    } else {
        state->pending = true;
    }
    state->wake(0);
}

Stream Listener::AcceptAwaiter::await_resume() {
    if (state == nullptr || state->closed) {
        throw Cancelled{};
    }
    if (state->error < 0) {
        int error = std::exchange(state->error, 0);
        throw_if_error(error, "accept");
    }
    auto client = state->is_tcp ? Stream::tcp(*state->scheduler) : Stream::pipe(*state->scheduler);
    state->pending = false;
    throw_if_error(uv_accept(&state->handle.stream, client.handle()), "accept");
    if (state->is_tcp) {
        tune_tcp(client);
    }
    return client;
}

void tune_tcp(Stream& stream) {
    if (auto* handle = stream.handle()) {
        auto* tcp = reinterpret_cast<uv_tcp_t*>(handle);
        uv_tcp_keepalive(tcp, 1, 60);
        uv_tcp_nodelay(tcp, 1);
    }
}

ConnectAwaiter::ConnectAwaiter(Stream& stream, const SocketAddress* address, std::string path,
                               std::uint64_t timeout_ms)
    : stream_(stream), address_(address), path_(std::move(path)), timeout_ms_(timeout_ms) {}

ConnectAwaiter::~ConnectAwaiter() {
    if (slot_.registered && request_) {
        request_->waiter = nullptr;
    }
}

void ConnectAwaiter::await_suspend(std::coroutine_handle<> handle) {
    auto* handle_ptr = stream_.handle();
    auto& scheduler = Scheduler::of(handle_ptr->loop);
    slot_.handle = handle;
    request_ = new Request{};
    request_->waiter = &slot_;
    request_->scheduler = &scheduler;
    request_->req.data = request_;
    slot_.registered = true;
    if (address_) {
        int status = uv_tcp_connect(&request_->req, reinterpret_cast<uv_tcp_t*>(handle_ptr),
                                    address_->get(), &ConnectAwaiter::on_connect);
        if (status < 0) {
            fail_at_once(status);
            return;
        }
        if (timeout_ms_ > 0) {
            uv_timer_init(handle_ptr->loop, &request_->timer);
            request_->timer.data = request_;
            ++request_->callbacks_due;
            uv_timer_start(&request_->timer, &ConnectAwaiter::on_timeout, timeout_ms_, 0);
        }
        return;
    }
    if (path_.size() > kMaxSocketPathBytes) {
        // libuv (before 1.46) would cut the path short and connect to another socket file.
        fail_at_once(UV_ENAMETOOLONG);
        return;
    }
    // uv_pipe_connect reports every failure through the callback.
    uv_pipe_connect(&request_->req, reinterpret_cast<uv_pipe_t*>(handle_ptr), path_.c_str(),
                    &ConnectAwaiter::on_connect);
}

void ConnectAwaiter::Request::resume(int status) {
    if (auto* slot = std::exchange(waiter, nullptr)) {
        slot->registered = false;
        slot->status = status;
        scheduler->schedule(slot->handle);
    }
}

void ConnectAwaiter::Request::close_timer() {
    auto* handle = reinterpret_cast<uv_handle_t*>(&timer);
    if (callbacks_due > 1 && !uv_is_closing(handle)) {
        uv_close(handle,
                 [](uv_handle_t* closed) { static_cast<Request*>(closed->data)->release(); });
    }
}

void ConnectAwaiter::Request::release() {
    if (--callbacks_due == 0) {
        delete this;
    }
}

void ConnectAwaiter::fail_at_once(int status) {
    delete request_;
    request_ = nullptr;
    slot_.registered = false;
    slot_.status = status;
    Scheduler::of(stream_.handle()->loop).schedule(slot_.handle);
}

void ConnectAwaiter::on_connect(uv_connect_t* req, int status) {
    auto* request = static_cast<Request*>(req->data);
    request->resume(status);
    request->close_timer();
    request->release();
}

void ConnectAwaiter::on_timeout(uv_timer_t* timer) {
    auto* request = static_cast<Request*>(timer->data);
    // The connect itself stays pending until the caller closes the stream.
    request->resume(UV_ETIMEDOUT);
    request->close_timer();
}

void ConnectAwaiter::await_resume() const {
    if (closed_at_start_) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot_.status), "connect");
}

} // namespace sluice
