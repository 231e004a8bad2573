#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/stream.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <sys/socket.h>
#include <unistd.h>

using namespace sluice;

namespace {

struct SocketPair {
    int fds[2];
    SocketPair() { REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0); }
};

Task<void> read_all(Stream* stream, std::string* out, std::string* outcome) {
    char buffer[4096];
    try {
        while (auto n = co_await stream->read(buffer)) {
            out->append(buffer, n);
        }
        *outcome = "eof";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    }
}

Task<void> write_then_close(Stream* stream, std::string data) {
    co_await stream->write(data);
    stream->close();
}

Task<void> write_big(Stream* stream, std::string* data, std::string* outcome) {
    try {
        co_await stream->write(*data);
        *outcome = "written";
    } catch (const Cancelled&) {
        *outcome = "cancelled";
    } catch (const IoError& e) {
        *outcome = e.what();
    }
}

/// Reads once, waits for `resume`, then reads to the end.
Task<void> read_pause_read(Stream* stream, Notify* resume, std::string* out, std::string* outcome) {
    char buffer[4096];
    out->append(buffer, co_await stream->read(buffer));
    co_await resume->wait();
    co_await read_all(stream, out, outcome);
}

std::string lettered(std::size_t size) {
    std::string text(size, ' ');
    for (std::size_t i = 0; i < size; ++i) {
        text[i] = static_cast<char>('a' + i % 26);
    }
    return text;
}

/// Runs the loop while `busy()` holds. It stops before polling again, since with every
/// coroutine parked a poll would wait for ever.
template <typename Busy>
void run_while(Scheduler& scheduler, Busy busy) {
    while (busy()) {
        scheduler.run_once_nowait();
        if (!busy()) {
            break;
        }
        uv_run(scheduler.loop(), UV_RUN_ONCE);
    }
}

void run_until_idle(Scheduler& scheduler, Scope& scope) {
    run_while(scheduler, [&] { return scope.active() > 0; });
}

} // namespace

TEST_CASE("stream carries bytes end to end and reports end of stream as zero") {
    Scheduler scheduler;
    Scope scope(scheduler);
    SocketPair pair;
    std::string received, outcome;
    {
        auto reader = Stream::open_fd(scheduler, pair.fds[0], Stream::Type::pipe);
        auto writer = Stream::open_fd(scheduler, pair.fds[1], Stream::Type::pipe);
        auto payload = lettered(1 << 20);
        scope.spawn(read_all(&reader, &received, &outcome), "reader");
        scope.spawn(write_then_close(&writer, payload), "writer");
        run_until_idle(scheduler, scope);
        CHECK(outcome == "eof");
        CHECK(received == payload);
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a reader that pauses leaves the bytes in the kernel and then gets them all in order") {
    Scheduler scheduler;
    Scope scope(scheduler);
    SocketPair pair;
    Notify resume(scheduler);
    std::string received, read_outcome, write_outcome;
    {
        auto reader = Stream::open_fd(scheduler, pair.fds[0], Stream::Type::pipe);
        auto writer = Stream::open_fd(scheduler, pair.fds[1], Stream::Type::pipe);
        // Far more than the socket buffers hold: while the reader pauses, the write must stall.
        auto payload = lettered(8 << 20);
        scope.spawn(read_pause_read(&reader, &resume, &received, &read_outcome), "reader");
        scope.spawn(write_big(&writer, &payload, &write_outcome), "writer");
        run_while(scheduler, [&] { return received.empty(); });
        auto first_read = received.size();
        // Readable events keep coming while the reader pauses; none of them may take bytes.
        for (int i = 0; i < 100; ++i) {
            scheduler.run_once_nowait();
            uv_run(scheduler.loop(), UV_RUN_NOWAIT);
        }
        CHECK(received.size() == first_read);
        CHECK(write_outcome.empty());
        CHECK(writer.write_queue_size() > 0);
        resume.notify();
        run_while(scheduler, [&] { return write_outcome.empty(); });
        CHECK(write_outcome == "written");
        writer.close();
        run_until_idle(scheduler, scope);
        CHECK(read_outcome == "eof");
        CHECK(received == payload);
    }
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("closing a stream cancels a read in progress") {
    Scheduler scheduler;
    Scope scope(scheduler);
    SocketPair pair;
    std::string received, outcome;
    auto reader = Stream::open_fd(scheduler, pair.fds[0], Stream::Type::pipe);
    scope.spawn(read_all(&reader, &received, &outcome), "reader");
    scheduler.run_once_nowait();
    REQUIRE(scope.active() == 1);
    reader.close();
    scheduler.run();
    CHECK(outcome == "cancelled");
    close(pair.fds[1]);
    CHECK(scheduler.close());
}

TEST_CASE("closing a stream cancels a write the peer never reads") {
    Scheduler scheduler;
    Scope scope(scheduler);
    SocketPair pair;
    std::string outcome;
    // Far more than the socket buffers hold, so the write stays pending.
    std::string data(64 << 20, 'y');
    auto writer = Stream::open_fd(scheduler, pair.fds[1], Stream::Type::pipe);
    scope.spawn(write_big(&writer, &data, &outcome), "writer");
    scheduler.run_once_nowait();
    uv_run(scheduler.loop(), UV_RUN_NOWAIT);
    REQUIRE(scope.active() == 1);
    CHECK(writer.write_queue_size() > 0);
    writer.close();
    scheduler.run();
    CHECK(outcome == "cancelled");
    close(pair.fds[0]);
    CHECK(scheduler.close());
}
