#pragma once
// UdpSocket: datagrams in and out on the loop.

#include "drivers/runtime/address.hpp"
#include "drivers/runtime/wait_slot.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <uv.h>

namespace sluice {

/// One UDP socket. Received datagrams collect in one buffer between receive() calls, so a
/// burst is handed over as a batch with one wake-up. When the buffer is full the socket stops
/// reading until the next receive(): the kernel's receive buffer then fills and drops, which is
/// UDP's only form of backpressure. close() wakes a waiter with Cancelled.
class UdpSocket {
public:
    /// Binds to `address` for receiving. Throws IoError.
    static UdpSocket bind(Scheduler& scheduler, const SocketAddress& address);
    /// Connects to `address` for sending (the kernel picks the local address). Throws IoError.
    static UdpSocket connect(Scheduler& scheduler, const SocketAddress& address);

    UdpSocket(UdpSocket&& other) noexcept;
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    ~UdpSocket() { close(); }

    /// Suspends until at least one datagram has arrived, then returns every datagram received
    /// since the last call, in order. The views stay valid until the next receive() or close().
    /// Throws Cancelled, IoError.
    auto receive() { return ReceiveAwaiter{state_}; }
    /// Sends one datagram on a connected socket. `bytes` must stay valid until done. Throws
    /// IoError (ECONNREFUSED when the peer's port was closed, reported by ICMP), Cancelled.
    auto send(std::string_view bytes) { return SendAwaiter{state_, bytes}; }

    void close();
    std::uint16_t port() const;
    /// Datagrams cut short because they were larger than the biggest datagram we read (64 KiB).
    std::uint64_t truncated() const { return state_ ? state_->truncated : 0; }

private:
    struct Slice {
        std::size_t offset;
        std::size_t length;
    };
    struct State : WaiterLink {
        uv_udp_t handle;
        // Not zero-filled: the kernel writes each datagram before anyone reads it, and pages
        // that no datagram reached yet cost no memory.
        std::unique_ptr<char[]> buffer;
        std::size_t buffer_size = 0;
        std::size_t used = 0;
        std::vector<Slice> slices;
        std::vector<std::string_view> views;
        bool receiving = false;
        int error = 0;
        std::uint64_t truncated = 0;
    };
    struct ReceiveAwaiter {
        State* state;
        WaitSlot slot{};
        explicit ReceiveAwaiter(State* s) : state(s) {}
        ReceiveAwaiter(const ReceiveAwaiter&) = delete;
        ~ReceiveAwaiter() {
            if (slot.registered) {
                state->detach(slot);
            }
        }
        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle) { state->attach(slot, handle); }
        std::span<const std::string_view> await_resume();
    };
    struct SendRequest {
        uv_udp_send_t req;
        WaitSlot* waiter = nullptr;
        Scheduler* scheduler = nullptr;
    };
    struct SendAwaiter {
        State* state;
        std::string_view bytes;
        SendRequest* request = nullptr;
        WaitSlot slot{};
        SendAwaiter(State* s, std::string_view b) : state(s), bytes(b) {}
        SendAwaiter(const SendAwaiter&) = delete;
        ~SendAwaiter();
        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle);
        void await_resume() const;
    };

    explicit UdpSocket(State* state) : state_(state) {}
    static State* make_state(Scheduler& scheduler);
    static void start_receiving(State* state);
    static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
    static void on_receive(uv_udp_t* handle, ssize_t nread, const uv_buf_t* buf,
                           const sockaddr* from, unsigned flags);
    static void on_send(uv_udp_send_t* req, int status);

    State* state_;
};

} // namespace sluice
