// End-to-end: an idle daemon sleeps in the kernel instead of polling.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// Context switches the process has made so far: each wake-up from the kernel is one.
long context_switches(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    long total = 0;
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
            line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
            total += std::stol(line.substr(line.find(':') + 1));
        }
    }
    return total;
}

/// Scheduler state letter from /proc/PID/stat: 'S' while the process sleeps in the kernel.
char run_state(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    auto close_paren = line.rfind(')');
    return close_paren == std::string::npos || close_paren + 2 >= line.size()
               ? '?'
               : line[close_paren + 2];
}

/// The "started" line is logged before the loop's last start-up turn; on a loaded machine that
/// tail can be preempted a few times. Wait until the daemon sleeps and stays asleep for a while.
bool settled(int pid) {
    auto before = context_switches(pid);
    std::this_thread::sleep_for(200ms);
    return run_state(pid) == 'S' && context_switches(pid) == before;
}

} // namespace

TEST_CASE("an idle daemon makes no wake-ups") {
    TempDir dir;
    auto fifo = dir.file("input.fifo");
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    // Held open for writing (and never written) so the daemon's stdin stays open and quiet.
    int writer = open(fifo.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(writer >= 0);
    auto config = dir.write("idle.yaml", R"(version: 1
sources:
  in: {type: stdin}
stages:
  hot: {type: filter, inputs: [in], condition: temp > 90}
sinks:
  out: {type: stdout, inputs: [hot]}
)");
    Process sluice({sluice_binary(), "run", "-c", config},
                   {.stdin_path = fifo, .stdout_path = {}, .env = {}});
    REQUIRE(wait_until([&] { return sluice.stderr_text().find("started") != std::string::npos; }));
    REQUIRE(wait_until([&] { return settled(sluice.pid()); }));
    auto before = context_switches(sluice.pid());
    // Measure over an interval: an idle daemon must not wake at all in it.
    std::this_thread::sleep_for(1s);
    auto after = context_switches(sluice.pid());
    CHECK(after - before <= 1);

    REQUIRE(write(writer, "{\"temp\":95}\n", 12) == 12);
    REQUIRE(wait_until([&] { return sluice.stdout_text() == "{\"temp\":95}\n"; }));
    sluice.signal(SIGTERM);
    CHECK(sluice.wait(10s) == 0);
    close(writer);
}

TEST_CASE("libzmq is loaded only once a zmq component needs it") {
    TempDir dir;
    auto mapped_libzmq = [](int pid) {
        return read_file("/proc/" + std::to_string(pid) + "/maps").find("libzmq") !=
               std::string::npos;
    };
    auto without = dir.write("plain.yaml", R"(version: 1
sources:
  in: {type: generator, rate: 1}
sinks:
  out: {type: null, inputs: [in]}
)");
    Process plain({sluice_binary(), "run", "-c", without}, {});
    REQUIRE(wait_until([&] { return plain.stderr_text().find("started") != std::string::npos; }));
    CHECK_FALSE(mapped_libzmq(plain.pid()));
    plain.signal(SIGTERM);
    CHECK(plain.wait(10s) == 0);

    auto with = dir.write("zmq.yaml", R"(version: 1
sources:
  in: {type: generator, rate: 1}
sinks:
  out: {type: zmq, inputs: [in], socket: push, bind: "ipc://)" +
                                          dir.file("out.ipc") +
                                          R"("}
)");
    Process zmq({sluice_binary(), "run", "-c", with}, {});
    REQUIRE(wait_until([&] { return zmq.stderr_text().find("started") != std::string::npos; }));
    REQUIRE(wait_until([&] { return mapped_libzmq(zmq.pid()); }));
    zmq.signal(SIGTERM);
    CHECK(zmq.wait(10s) == 0);
}
