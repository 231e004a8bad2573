#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/poll.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/signal.hpp"
#include "drivers/runtime/timer.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <stdexcept>
#include <string>
#include <unistd.h>

using namespace sluice;

namespace {

Task<int> answer() {
    co_return 42;
}

Task<int> add_one(Task<int> inner) {
    co_return co_await std::move(inner) + 1;
}

Task<int> fails() {
    throw std::runtime_error("boom");
    co_return 0;
}

Task<void> store_result(Task<int> task, int* out) {
    *out = co_await std::move(task);
}

Task<void> catch_error(Task<int> task, std::string* out) {
    try {
        co_await std::move(task);
    } catch (const std::exception& e) {
        *out = e.what();
    }
}

Task<void> sleep_then_mark(Timer* timer, std::uint64_t ms, std::string* log) {
    try {
        co_await timer->sleep(ms);
        *log += "woke";
    } catch (const Cancelled&) {
        *log += "cancelled";
    }
}

Task<int> deep_chain(int depth) {
    if (depth == 0) {
        co_return 0;
    }
    co_return co_await deep_chain(depth - 1) + 1;
}

Task<void> throw_in_scope() {
    throw std::runtime_error("component failed");
    co_return;
}

} // namespace

TEST_CASE("task returns its value to the awaiter") {
    Scheduler scheduler;
    Scope scope(scheduler);
    int result = 0;
    scope.spawn(store_result(add_one(answer()), &result), "t");
    scheduler.run();
    CHECK(result == 43);
    CHECK(scheduler.close());
}

TEST_CASE("task exceptions propagate to the awaiter") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string error;
    scope.spawn(catch_error(fails(), &error), "t");
    scheduler.run();
    CHECK(error == "boom");
}

TEST_CASE("task that is never awaited frees its frame without running") {
    // ASan reports a leak if the frame is not freed.
    bool ran = false;
    {
        auto task = [](bool* flag) -> Task<void> {
            *flag = true;
            co_return;
        }(&ran);
        CHECK(task.valid());
    }
    CHECK_FALSE(ran);
}

#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
// GCC emits symmetric transfer as a tail call only with sibling-call optimisation, which the
// -O1 sanitizer build and an unoptimised (Debug) build lack, so there each level costs a frame:
// the flat-stack property is checked by the optimised build, the others check the chain's
// memory safety.
constexpr int kChainDepth = 1000;
#else
constexpr int kChainDepth = 100000;
#endif

TEST_CASE("a long chain of synchronous tasks does not grow the stack") {
    Scheduler scheduler;
    Scope scope(scheduler);
    int result = 0;
    scope.spawn(store_result(deep_chain(kChainDepth), &result), "t");
    scheduler.run();
    CHECK(result == kChainDepth);
}

TEST_CASE("scope reports a failing task with its name") {
    Scheduler scheduler;
    std::string reported;
    Scope scope(scheduler, [&](const std::string& name, std::exception_ptr error) {
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            reported = name + ": " + e.what();
        }
    });
    scope.spawn(throw_in_scope(), "source a");
    scheduler.run();
    CHECK(reported == "source a: component failed");
    CHECK(scope.failures() == 1);
    CHECK(scope.active() == 0);
}

TEST_CASE("timer sleeps and wakes") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string log;
    {
        Timer timer(scheduler);
        scope.spawn(sleep_then_mark(&timer, 5, &log), "sleeper");
        scheduler.run_once_nowait();
        while (scope.active() > 0) {
            uv_run(scheduler.loop(), UV_RUN_ONCE);
        }
    }
    CHECK(log == "woke");
    CHECK(scheduler.close());
}

TEST_CASE("closing a timer cancels a sleep in progress") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string log;
    Timer timer(scheduler);
    scope.spawn(sleep_then_mark(&timer, 60'000, &log), "sleeper");
    scheduler.run_once_nowait();
    REQUIRE(scope.active() == 1);
    timer.close();
    scheduler.run();
    CHECK(log == "cancelled");
    CHECK(scope.active() == 0);
    CHECK(scheduler.close());
}

TEST_CASE("sleeping on a closed timer throws cancelled at once") {
    Scheduler scheduler;
    Scope scope(scheduler);
    std::string log;
    Timer timer(scheduler);
    timer.close();
    scope.spawn(sleep_then_mark(&timer, 10, &log), "sleeper");
    scheduler.run();
    CHECK(log == "cancelled");
}

namespace {

Task<void> wait_readable(Poll* poll, std::string* log) {
    try {
        int events = co_await poll->wait(UV_READABLE);
        *log += (events & UV_READABLE) ? "readable" : "other";
    } catch (const Cancelled&) {
        *log += "cancelled";
    }
}

Task<void> wait_signal(Signal* signal, int* count) {
    co_await signal->wait();
    ++*count;
}

} // namespace

TEST_CASE("poll reports a readable fd and can be cancelled") {
    Scheduler scheduler;
    Scope scope(scheduler);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    std::string log;
    {
        Poll poll(scheduler, fds[0]);
        scope.spawn(wait_readable(&poll, &log), "poll");
        scheduler.run_once_nowait();
        REQUIRE(write(fds[1], "x", 1) == 1);
        while (scope.active() > 0) {
            uv_run(scheduler.loop(), UV_RUN_ONCE);
        }
        CHECK(log == "readable");
        char byte;
        REQUIRE(read(fds[0], &byte, 1) == 1);
        log.clear();
        scope.spawn(wait_readable(&poll, &log), "poll");
        scheduler.run_once_nowait();
        REQUIRE(scope.active() == 1);
    }
    scheduler.run();
    CHECK(log == "cancelled");
    CHECK(scope.active() == 0);
    close(fds[0]);
    close(fds[1]);
    CHECK(scheduler.close());
}

TEST_CASE("signal wakes its waiter and counts early arrivals") {
    Scheduler scheduler;
    Scope scope(scheduler);
    int count = 0;
    Signal signal(scheduler, SIGUSR1);
    raise(SIGUSR1);
    // Delivered through libuv's signal pipe on the next loop turn, before anyone waits.
    uv_run(scheduler.loop(), UV_RUN_NOWAIT);
    scope.spawn(wait_signal(&signal, &count), "sig");
    scheduler.run_once_nowait();
    CHECK(count == 1);
    scope.spawn(wait_signal(&signal, &count), "sig");
    scheduler.run_once_nowait();
    raise(SIGUSR1);
    while (scope.active() > 0) {
        uv_run(scheduler.loop(), UV_RUN_ONCE);
    }
    CHECK(count == 2);
    signal.close();
    CHECK(scheduler.close());
}
