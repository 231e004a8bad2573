#include "drivers/runtime/udp.hpp"

#include "drivers/runtime/errors.hpp"

#include <utility>

namespace sluice {

namespace {
// The largest datagram we read whole, and the buffer that collects datagrams between reads:
// room for many small datagrams, and always for one of the largest.
constexpr std::size_t kMaxDatagram = 64 * 1024;
constexpr std::size_t kBufferSize = 512 * 1024;
} // namespace

UdpSocket::State* UdpSocket::make_state(Scheduler& scheduler) {
    auto* state = new State{};
    state->scheduler = &scheduler;
    uv_udp_init(scheduler.loop(), &state->handle);
    state->handle.data = state;
    return state;
}

UdpSocket UdpSocket::bind(Scheduler& scheduler, const SocketAddress& address) {
    UdpSocket socket(make_state(scheduler));
    throw_if_error(uv_udp_bind(&socket.state_->handle, address.get(), UV_UDP_REUSEADDR), "bind");
    socket.state_->buffer = std::make_unique_for_overwrite<char[]>(kBufferSize);
    socket.state_->buffer_size = kBufferSize;
    return socket;
}

UdpSocket UdpSocket::connect(Scheduler& scheduler, const SocketAddress& address) {
    UdpSocket socket(make_state(scheduler));
    throw_if_error(uv_udp_connect(&socket.state_->handle, address.get()), "connect");
    return socket;
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
}

void UdpSocket::close() {
    if (!state_) {
        return;
    }
    state_->closed = true;
    uv_udp_recv_stop(&state_->handle);
    state_->wake(UV_ECANCELED);
    uv_close(reinterpret_cast<uv_handle_t*>(&state_->handle),
             [](uv_handle_t* h) { delete static_cast<State*>(h->data); });
    state_ = nullptr;
}

std::uint16_t UdpSocket::port() const {
    if (!state_) {
        return 0;
    }
    uv_os_fd_t fd = -1;
    uv_fileno(reinterpret_cast<const uv_handle_t*>(&state_->handle), &fd);
    return bound_port(fd);
}

void UdpSocket::start_receiving(State* state) {
    if (!state->receiving) {
        int status =
            uv_udp_recv_start(&state->handle, &UdpSocket::on_alloc, &UdpSocket::on_receive);
        if (status < 0) {
            state->error = status;
            return;
        }
        state->receiving = true;
    }
}

void UdpSocket::on_alloc(uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
    auto* state = static_cast<State*>(handle->data);
    *buf = uv_buf_init(state->buffer.get() + state->used, static_cast<unsigned>(kMaxDatagram));
}

void UdpSocket::on_receive(uv_udp_t* handle, ssize_t nread, const uv_buf_t*, const sockaddr* from,
                           unsigned flags) {
    auto* state = static_cast<State*>(handle->data);
    if (nread < 0) {
        state->error = static_cast<int>(nread);
    } else if (from != nullptr) {
        if (flags & UV_UDP_PARTIAL) {
            ++state->truncated;
        } else if (nread > 0) {
            state->slices.push_back({state->used, static_cast<std::size_t>(nread)});
            state->used += static_cast<std::size_t>(nread);
        }
    }
    if (state->used + kMaxDatagram > state->buffer_size) {
        uv_udp_recv_stop(handle);
        state->receiving = false;
    }
    if (!state->slices.empty() || state->error < 0) {
        state->wake(0);
    }
}

bool UdpSocket::ReceiveAwaiter::await_ready() {
    if (state == nullptr) {
        return true;
    }
    // The previous batch has been consumed: its bytes can be reused.
    state->used = 0;
    state->slices.clear();
    start_receiving(state);
    return state->error < 0;
}

std::span<const std::string_view> UdpSocket::ReceiveAwaiter::await_resume() {
    if (state == nullptr || state->closed) {
        throw Cancelled{};
    }
    // Nothing may land in the buffer while the caller works on these views: reading resumes
    // with the next receive(), and meanwhile the kernel holds what arrives.
    uv_udp_recv_stop(&state->handle);
    state->receiving = false;
    if (state->error < 0) {
        throw_if_error(std::exchange(state->error, 0), "receive");
    }
    state->views.clear();
    for (const auto& slice : state->slices) {
        state->views.emplace_back(state->buffer.get() + slice.offset, slice.length);
    }
    return state->views;
}

bool UdpSocket::SendAwaiter::await_ready() {
    if (state == nullptr) {
        return true;
    }
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
    int status = uv_udp_try_send(&state->handle, &buf, 1, nullptr);
    if (status == UV_EAGAIN) {
        return false;
    }
    slot.status = status < 0 ? status : 0;
    return true;
}

void UdpSocket::SendAwaiter::await_suspend(std::coroutine_handle<> handle) {
    request = new SendRequest{};
    request->scheduler = state->scheduler;
    request->waiter = &slot;
    request->req.data = request;
    slot.handle = handle;
    slot.registered = true;
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
    int status = uv_udp_send(&request->req, &state->handle, &buf, 1, nullptr, &UdpSocket::on_send);
    if (status < 0) {
        delete request;
        request = nullptr;
        slot.registered = false;
        slot.status = status;
        state->scheduler->schedule(handle);
    }
}

void UdpSocket::on_send(uv_udp_send_t* req, int status) {
    auto* request = static_cast<SendRequest*>(req->data);
    if (auto* slot = request->waiter) {
        slot->registered = false;
        slot->status = status;
        request->scheduler->schedule(slot->handle);
    }
    delete request;
}

UdpSocket::SendAwaiter::~SendAwaiter() {
    if (slot.registered && request) {
        request->waiter = nullptr;
    }
}

void UdpSocket::SendAwaiter::await_resume() const {
    if (state == nullptr) {
        throw Cancelled{};
    }
    throw_if_error(static_cast<int>(slot.status), "send");
}

} // namespace sluice
