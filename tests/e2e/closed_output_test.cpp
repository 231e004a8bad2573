// End-to-end: a stdout sink whose reader has gone (`sluice run ... | head -1`), with real pipes.

#include "tests/e2e/ops_support.hpp"
#include "tests/support/captured_stderr.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kClosed = "standard output was closed by its reader";

/// stdin -> stdout, plus `extra` sinks; with a status socket.
std::string config_with(const TempDir& dir, const std::string& extra = "") {
    return dir.write("pipeline.yaml",
                     "version: 1\ndaemon:\n  status_socket: " + dir.file("status.sock") +
                         "\nsources:\n  in: {type: stdin}\nsinks:\n"
                         "  out: {type: stdout, inputs: [in]}\n" +
                         extra);
}

/// A FIFO for the daemon's stdout whose reader the test closes once the daemon has it open:
/// a pipe whose reader has gone.
class ClosedPipe {
public:
    explicit ClosedPipe(const TempDir& dir) : path_(dir.file("out.fifo")) {
        REQUIRE(::mkfifo(path_.c_str(), 0600) == 0);
        // A reader opened first lets the daemon's open for writing return at once.
        reader_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(reader_ >= 0);
    }
    ~ClosedPipe() { close_reader(); }
    const std::string& path() const { return path_; }
    void close_reader() {
        if (reader_ >= 0) {
            ::close(reader_);
            reader_ = -1;
        }
    }

private:
    std::string path_;
    int reader_ = -1;
};

} // namespace

TEST_CASE("a batch job piped into head -1 logs the closed output once and stops early") {
    TempDir dir;
    auto input = dir.write("in.jsonl", numbered_lines(0, 100'000));
    auto config = config_with(dir);
    auto pipe = dir.file("pipe");
    REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
    auto first = dir.file("first.txt");
    // Each opens its end of the FIFO and waits for the other, as a shell pipeline would.
    Process head({"head", "-n", "1"}, {.stdin_path = pipe, .stdout_path = first, .env = {}});
    Process sluice({sluice_binary(), "run", "-c", config},
                   {.stdin_path = input, .stdout_path = pipe, .env = {}});
    REQUIRE(head.wait(20s) == 0);
    REQUIRE(sluice.wait(20s) == 0);
    CHECK(read_file(first) == R"({"seq":0,"k":"x"})"
                              "\n");
    auto err = sluice.stderr_text();
    INFO(err);
    CHECK(count_of(err, kClosed) == 1);
    CHECK(count_of(err, "write failed") == 0);
    // It stopped because nothing could be written any more, long before its input ended.
    CHECK(count_of(err, "stopping: the output of every sink has gone") == 1);
    CHECK(count_of(err, "every source has ended") == 0);
}

TEST_CASE("sluice stops once every sink's output has gone, though its input stays open") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    ClosedPipe output(dir);
    Daemon daemon(config_with(dir), input.path(), {}, output.path());
    REQUIRE(wait_for_status(dir.file("status.sock")));
    output.close_reader();
    input.write(numbered_lines(0, 10));
    REQUIRE(daemon.wait(20s) == 0);
    auto err = daemon.stderr_text();
    INFO(err);
    CHECK(count_of(err, kClosed) == 1);
    CHECK(count_of(err, "stopping: the output of every sink has gone") == 1);
}

TEST_CASE("a stdout sink whose reader has gone drops and counts its events, the others go on") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    ClosedPipe output(dir);
    auto socket = dir.file("status.sock");
    auto kept = dir.file("kept.jsonl");
    Daemon daemon(config_with(dir, "  keep: {type: file, inputs: [in], path: " + kept + "}\n"),
                  input.path(), {}, output.path());
    REQUIRE(wait_for_status(socket));
    output.close_reader();

    input.write(numbered_lines(0, 1000));
    REQUIRE(wait_until([&] { return counter(socket, "keep", "events_out") == 1000; }));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_dropped") == 1000; }));
    input.write(numbered_lines(1000, 1000));
    REQUIRE(wait_until([&] { return counter(socket, "keep", "events_out") == 2000; }));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_dropped") == 2000; }));

    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    const auto* out = component(*status, "out");
    REQUIRE(out);
    CHECK(out->find("state")->as_string() == "error");
    CHECK(out->find("events_in")->as_int() == 2000);
    CHECK(out->find("events_out")->as_int() == 0);
    CHECK(out->find("queue_depth")->as_int() == 0);
    CHECK(out->find("errors")->as_int() == 1);
    CHECK(out->find("last_error")->as_string().find(kClosed) != std::string::npos);
    CHECK(read_lines(kept).size() == 2000);
    CHECK(count_of(daemon.stderr_text(), kClosed) == 1);
    CHECK(count_of(daemon.stderr_text(), "stopping") == 0);
    input.close();
    CHECK(daemon.wait(20s) == 0);
}
