#include "drivers/sinks/exec.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::string exec_yaml(const std::string& body) {
    return "version: 1\nsources:\n  in: {type: stdin}\nsinks:\n  run:\n    type: exec\n"
           "    inputs: [in]\n" +
           body;
}

} // namespace

TEST_CASE("exec runs the argv per event with fields in whole elements, never a shell") {
    sluice::test::TempDir dir;
    auto out = dir.file("out");
    // A value with spaces, quotes and a semicolon stays one argument and is never run.
    SinkHarness h(exec_yaml("    command: [/bin/sh, -c, 'printf \"%s|\" \"$@\" >> " + out +
                            "', sh, \"{name}\", \"v={value:.1f}\"]\n"),
                  "run");
    h.feed({R"({"name":"a b; touch )" + dir.file("pwned") + R"(","value":1.26})"});
    auto* exec = static_cast<ExecSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return exec->exits_ok() == 1; }));
    CHECK(sluice::test::read_file(out) == "a b; touch " + dir.file("pwned") + "|v=1.3|");
    CHECK_FALSE(std::filesystem::exists(dir.file("pwned")));
    REQUIRE(h.finish());
}

TEST_CASE("exec passes a scrubbed environment with the configured variables") {
    sluice::test::TempDir dir;
    auto out = dir.file("env");
    setenv("NOTIFY_SOCKET", "/run/systemd/notify", 1);
    setenv("SLUICE_TEST_PASSED", "yes", 1);
    setenv("SLUICE_TEST_HIDDEN", "no", 1);
    SinkHarness h(exec_yaml("    command: [/bin/sh, -c, 'env > " + out +
                            "']\n    env: {TEMP: \"{temp}\"}\n"
                            "    pass_env: [SLUICE_TEST_PASSED, NOTIFY_SOCKET]\n"),
                  "run");
    h.feed({R"({"temp":21.5})"});
    auto* exec = static_cast<ExecSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return exec->exits_ok() == 1; }));
    auto env = sluice::test::read_file(out);
    CHECK(env.find("TEMP=21.5\n") != std::string::npos);
    CHECK(env.find("SLUICE_TEST_PASSED=yes") != std::string::npos);
    CHECK(env.find("SLUICE_TEST_HIDDEN") == std::string::npos);
    CHECK(env.find("NOTIFY_SOCKET") == std::string::npos);
    CHECK(env.find("PATH=") != std::string::npos);
    unsetenv("NOTIFY_SOCKET");
    REQUIRE(h.finish());
}

TEST_CASE("exec counts exit statuses and kills a command that runs past its timeout") {
    SinkHarness h(exec_yaml("    command: [/bin/sh, -c, \"{script}\"]\n    timeout: 200ms\n"),
                  "run");
    h.feed({R"({"script":"exit 0"})", R"({"script":"exit 4"})", R"({"script":"sleep 300"})",
            R"({"script":"kill -9 $$"})"});
    auto* exec = static_cast<ExecSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return exec->exits_ok() + exec->exits_failed() == 4; }));
    CHECK(exec->exits_ok() == 1);
    CHECK(exec->exits_failed() == 3);
    CHECK(exec->timeouts() == 1);
    CHECK(h.status().errors == 3);
    REQUIRE(h.finish());
    CHECK(exec->running() == 0);
}

TEST_CASE("exec runs at most max_concurrent commands at once") {
    sluice::test::TempDir dir;
    auto gate = dir.file("gate");
    SinkHarness h(exec_yaml("    command: [/bin/sh, -c, 'while [ ! -e " + gate +
                            " ]; do sleep 0.01; done']\n    max_concurrent: 2\n"),
                  "run");
    h.feed({"{}", "{}", "{}", "{}", "{}"});
    auto* exec = static_cast<ExecSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return exec->running() == 2; }));
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(100));
    CHECK(exec->running() == 2);
    CHECK(h.status().queue_depth == 5); // the batch is in flight, waiting for slots
    { std::ofstream(gate) << ""; }
    REQUIRE(run_until(h.scheduler, [&] { return exec->exits_ok() == 5; }));
    REQUIRE(h.finish());
}

TEST_CASE("an exec sink with a bad template is a config error") {
    Diagnostics diagnostics;
    auto config = component(exec_yaml("    command: [echo, \"{unclosed\"]\n"), "run");
    Scheduler scheduler;
    CHECK_FALSE(ExecSink::make(config, diagnostics, scheduler));
    CHECK(diagnostics.has_errors());
}

TEST_CASE("an exec actuator runs one program per changed command") {
    sluice::test::TempDir dir;
    auto out = dir.file("out");
    SinkHarness h("version: 1\nsources:\n  in: {type: stdin}\nactuators:\n  relay:\n"
                  "    type: exec\n    inputs: [in]\n    command: [/bin/sh, -c, 'echo \"$0\" >> " +
                      out + "', \"{on}\"]\n    max_concurrent: 1\n    on_change_only: true\n",
                  "relay");
    h.feed({R"({"on":1})", R"({"on":1})", R"({"on":0})"});
    auto* exec = static_cast<ExecSink*>(h.sink.get());
    REQUIRE(run_until(h.scheduler, [&] { return exec->exits_ok() == 2; }));
    REQUIRE(h.finish());
    CHECK(sluice::test::read_file(out) == "1\n0\n");
    CHECK(h.status().events_out == 2);
    CHECK(h.status().events_dropped == 1);
}
