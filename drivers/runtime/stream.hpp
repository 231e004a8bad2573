#pragma once
// Stream: read and write on a libuv stream (TCP, pipe, tty) from coroutines.

#include "drivers/runtime/wait_slot.hpp"

#include <cstddef>
#include <span>
#include <string_view>

#include <uv.h>

namespace sluice {

/// Owns one libuv stream handle. One reader and one writer may wait at a time. close() wakes
/// both with Cancelled; the handle is freed in its close callback. End of stream is a value
/// (read returns 0), not an exception.
class Stream {
public:
    enum class Type { tcp, pipe, tty };

    /// An unconnected TCP handle (connect/accept are done on handle()).
    static Stream tcp(Scheduler& scheduler);
    /// An unconnected Unix-domain stream handle (connect/accept are done on handle()).
    static Stream pipe(Scheduler& scheduler);
    /// Wraps an open fd: a pipe or socket (Type::pipe) or a terminal (Type::tty).
    static Stream open_fd(Scheduler& scheduler, int fd, Type type);

    Stream(Stream&& other) noexcept;
    Stream& operator=(Stream&& other) noexcept;
    ~Stream() { close(); }

    /// Reads at most buffer.size() bytes; returns how many, 0 at end of stream. The buffer must
    /// stay valid until the read completes. Throws Cancelled or IoError.
    auto read(std::span<char> buffer) { return ReadAwaiter{state_, buffer}; }
    /// Writes all of `bytes`; completes when libuv has handed them to the kernel. `bytes` must
    /// stay valid until then. Throws Cancelled or IoError.
    auto write(std::string_view bytes) { return WriteAwaiter{state_, bytes}; }
    /// Writes all of `bytes` now or says it cannot: never waits (uv_try_write). False when the
    /// stream is closed, a write() is still queued, the kernel's buffer is full, or the stream
    /// fails; then a part of `bytes` may have been written.
    bool write_now(std::string_view bytes);

    void close();
    bool closed() const { return state_ == nullptr; }
    uv_stream_t* handle();
    /// Bytes queued in libuv waiting for the kernel to accept them.
    std::size_t write_queue_size();

private:
    struct State : WaiterLink {
        uv_any_handle handle;
        std::span<char> read_buffer;
        bool reading = false; // libuv is watching the handle for reads
    };
    struct WriteRequest {
        uv_write_t req;
        WaitSlot* waiter = nullptr;
        Scheduler* scheduler = nullptr;
    };
    struct ReadAwaiter {
        State* state;
        std::span<char> buffer;
        WaitSlot slot{};
        ReadAwaiter(State* s, std::span<char> b) : state(s), buffer(b) {}
        ReadAwaiter(const ReadAwaiter&) = delete;
        ~ReadAwaiter();
        bool await_ready() const noexcept { return state == nullptr; }
        void await_suspend(std::coroutine_handle<> handle);
        std::size_t await_resume() const;
    };
    struct WriteAwaiter {
        State* state;
        std::string_view bytes;
        WriteRequest* request = nullptr;
        WaitSlot slot{};
        WriteAwaiter(State* s, std::string_view b) : state(s), bytes(b) {}
        WriteAwaiter(const WriteAwaiter&) = delete;
        ~WriteAwaiter();
        bool await_ready();
        void await_suspend(std::coroutine_handle<> handle);
        void await_resume() const;
    };

    explicit Stream(State* state) : state_(state) {}
    static void on_alloc(uv_handle_t* handle, std::size_t suggested, uv_buf_t* buf);
    static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
    static void on_write(uv_write_t* req, int status);
    static void stop_reading(State& state);

    State* state_;
};

} // namespace sluice
