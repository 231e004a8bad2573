#include "drivers/runtime/errors.hpp"
#include "drivers/runtime/process.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::testing;

namespace {

Task<void> wait_exit(ChildProcess* child, ChildProcess::Exit* out) {
    *out = co_await child->wait();
}

const std::vector<std::string> kEnv = {"PATH=/usr/bin:/bin"};

} // namespace

TEST_CASE("a child's exit status is reported and it is reaped") {
    Scheduler scheduler;
    Scope scope(scheduler);
    ChildProcess::Exit exit;
    {
        auto child = ChildProcess::spawn(scheduler, {"sh", "-c", "exit 3"}, kEnv, 0);
        scope.spawn(wait_exit(&child, &exit), "wait");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    CHECK(exit.status == 3);
    CHECK(exit.signal == 0);
    CHECK_FALSE(exit.timed_out);
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("spawning a program that does not exist throws") {
    Scheduler scheduler;
    CHECK_THROWS_AS(ChildProcess::spawn(scheduler, {"/nonexistent/program"}, kEnv, 0), IoError);
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a timeout kills the child's whole process group") {
    sluice::test::TempDir dir;
    auto pid_file = dir.file("grandchild.pid");
    Scheduler scheduler;
    Scope scope(scheduler);
    ChildProcess::Exit exit;
    {
        // The grandchild would outlive a kill of the child alone.
        auto child = ChildProcess::spawn(
            scheduler, {"sh", "-c", "sleep 300 & echo $! > " + pid_file + "; wait"}, kEnv, 300);
        scope.spawn(wait_exit(&child, &exit), "wait");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    CHECK(exit.timed_out);
    CHECK(exit.signal == SIGKILL);
    auto grandchild = std::stoi(sluice::test::read_file(pid_file));
    // The grandchild was killed with the group (it may linger as a zombie of init briefly).
    CHECK(sluice::test::wait_until([&] {
        auto status = sluice::test::read_file("/proc/" + std::to_string(grandchild) + "/stat");
        return status.empty() || status.find(") Z") != std::string::npos;
    }));
    scheduler.run();
    CHECK(scheduler.close());
}

TEST_CASE("a child inherits only fds 0 to 2 and exactly the environment given") {
    sluice::test::TempDir dir;
    auto out = dir.file("fds");
    // An fd the process holds without close-on-exec must still not reach the child.
    int leaky = ::open("/dev/null", O_RDONLY);
    REQUIRE(leaky > 2);
    Scheduler scheduler;
    Scope scope(scheduler);
    ChildProcess::Exit exit;
    {
        auto child = ChildProcess::spawn(
            scheduler, {"sh", "-c", "ls /proc/self/fd > " + out + "; env >> " + out},
            {"PATH=/usr/bin:/bin", "ONLY=this"}, 0);
        scope.spawn(wait_exit(&child, &exit), "wait");
        REQUIRE(run_until(scheduler, [&] { return scope.active() == 0; }));
    }
    ::close(leaky);
    CHECK(exit.status == 0);
    auto lines = sluice::test::read_lines(out);
    // ls sees 0, 1 (the file), 2 and 3 (the directory it lists); nothing else.
    std::vector<std::string> fds;
    std::string env_text;
    for (const auto& line : lines) {
        if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
            fds.push_back(line);
        } else {
            env_text += line + "\n";
        }
    }
    CHECK(fds == std::vector<std::string>{"0", "1", "2", "3"});
    CHECK(env_text.find("ONLY=this") != std::string::npos);
    CHECK(env_text.find("NOTIFY_SOCKET") == std::string::npos);
    CHECK(env_text.find("HOME=") == std::string::npos);
    scheduler.run();
    CHECK(scheduler.close());
}
