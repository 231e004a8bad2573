// End-to-end: the status socket of the real daemon (SPEC §5) and the status/tap CLI.

#include "tests/e2e/ops_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sluice;
using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// stdin (a FIFO the test writes) -> filter (odd seq) -> file.
std::string fifo_config(const TempDir& dir) {
    return dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + dir.file("status.sock") +
                                          R"(
sources:
  in:
    type: stdin
stages:
  odd:
    type: filter
    inputs: [in]
    condition: seq % 2 == 1
sinks:
  out:
    type: file
    inputs: [odd]
    path: )" + dir.file("out.jsonl") + "\n");
}

/// Runs `body` in a child process as user nobody and returns its exit code.
int as_nobody(const std::function<int()>& body) {
    pid_t pid = fork();
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0) {
            _exit(99);
        }
        _exit(body());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

TEST_CASE("status counts exactly the events that went through each component") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());

    constexpr int kEvents = 5000;
    input.write(numbered_lines(0, kEvents));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == kEvents / 2; }));

    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    CHECK(status->find("ok")->as_bool());
    CHECK(status->find("pid")->as_int() == daemon->pid());
    CHECK(status->find("version")->as_string().size() > 0);
    CHECK(status->find("config_path")->as_string() == dir.file("pipeline.yaml"));
    CHECK(status->find("config_sha256")->as_string().size() == 64);
    CHECK(status->find("uptime_s")->as_double() >= 0);
    CHECK(status->find("last_reload")->is_null());

    const auto* in = component(*status, "in");
    REQUIRE(in);
    CHECK(in->find("kind")->as_string() == "source");
    CHECK(in->find("type")->as_string() == "stdin");
    CHECK(in->find("state")->as_string() == "running");
    CHECK(in->find("events_out")->as_int() == kEvents);
    const auto* odd = component(*status, "odd");
    REQUIRE(odd);
    CHECK(odd->find("kind")->as_string() == "stage");
    CHECK(odd->find("type")->as_string() == "filter");
    CHECK(odd->find("events_in")->as_int() == kEvents);
    CHECK(odd->find("events_out")->as_int() == kEvents / 2);
    CHECK(odd->find("events_dropped")->as_int() == kEvents / 2);
    CHECK(odd->find("errors")->as_int() == 0);
    CHECK(odd->find("queue_depth")->as_int() == 0);
    CHECK(odd->find("last_event_age_s")->is_number());
    CHECK(odd->find("last_event_age_s")->as_double() >= 0);
    const auto* out = component(*status, "out");
    REQUIRE(out);
    CHECK(out->find("kind")->as_string() == "sink");
    CHECK(out->find("events_in")->as_int() == kEvents / 2);
    CHECK(out->find("events_dropped")->as_int() == 0);
    CHECK(out->find("bytes_out")->as_int() > 0);
    CHECK(out->find("last_event_age_s")->as_double() >= 0);
    for (const char* key : {"bytes_in", "last_error", "last_event_age_s"}) {
        CHECK(out->find(key));
    }
    CHECK(read_lines(dir.file("out.jsonl")).size() == kEvents / 2);

    input.close();
    CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("status socket is created 0660 and removed at exit") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    struct stat info {};
    REQUIRE(::stat(socket.c_str(), &info) == 0);
    CHECK(S_ISSOCK(info.st_mode));
    CHECK((info.st_mode & 07777) == 0660);
    daemon->signal(SIGTERM);
    CHECK(daemon->wait(20s) == 0);
    CHECK(::access(socket.c_str(), F_OK) != 0);
}

TEST_CASE("a stale status socket is replaced and a live one is left to its daemon") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = fifo_config(dir);
    {
        // A crashed daemon leaves its socket file behind.
        Process first({sluice_binary(), "run", "-c", config}, {input.path(), {}, {}});
        REQUIRE(wait_for_status(socket));
        first.signal(SIGKILL);
        first.wait(20s);
    }
    REQUIRE(::access(socket.c_str(), F_OK) == 0);
    auto daemon = start_daemon(config, socket, input.path());
    auto pid_of = [&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status ? status->find("pid")->as_int() : -1;
    };
    CHECK(pid_of() == daemon->pid());

    Fifo other_input(dir, "other.fifo");
    Daemon second(config, other_input.path());
    REQUIRE(wait_until(
        [&] { return second.stderr_text().find("status socket disabled") != std::string::npos; }));
    CHECK(second.stderr_text().find("in use by another running process") != std::string::npos);
    // The first daemon still owns the socket.
    CHECK(pid_of() == daemon->pid());
    second.signal(SIGTERM);
    CHECK(second.wait(20s) == 0);
    CHECK(pid_of() == daemon->pid());
    daemon->signal(SIGTERM);
    CHECK(daemon->wait(20s) == 0);
}

TEST_CASE("status socket answers several requests per connection and reports bad ones") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    SocketClient client(socket);
    client.send("{\"cmd\":\"status\"}\n{\"cmd\":\"frobnicate\"}\nnot json\n\n[1]\n"
                "{\"cmd\":\"tap\",\"component\":\"odd\",\"limit\":-1}\n{\"cmd\":\"metrics\"}\n");
    std::string error;
    auto status = parse_json(client.read_line().value_or(""), error);
    REQUIRE(status);
    CHECK(status->find("components"));
    auto next_error = [&] {
        auto reply = parse_json(client.read_line().value_or(""), error);
        REQUIRE(reply);
        CHECK_FALSE(reply->find("ok")->as_bool());
        return reply->find("error")->as_string();
    };
    CHECK(next_error() == "unknown cmd 'frobnicate', expected status, metrics, tap or reload");
    CHECK(next_error().find("invalid JSON at byte 0") == 0);
    CHECK(next_error() == "expected a JSON object with a \"cmd\" string");
    CHECK(next_error().find("\"limit\" must be a whole number") == 0);
    auto metrics = parse_json(client.read_line().value_or(""), error);
    REQUIRE(metrics);
    CHECK(
        metrics->find("text")->as_string().find("sluice_component_events_in_total{component=\"in\","
                                                "kind=\"source\"} 0\n") != std::string::npos);
}

TEST_CASE("a request over 64 KiB is refused and the daemon stays healthy") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    SocketClient client(socket);
    // No newline: the daemon must not wait for one for ever, nor buffer without limit.
    client.send("{\"cmd\":\"status\",\"pad\":\"" + std::string(70 * 1024, 'x'));
    std::string error;
    auto reply = parse_json(client.read_line().value_or(""), error);
    REQUIRE(reply);
    CHECK(reply->find("error")->as_string() == "request refused: longer than 65536 bytes");
    CHECK(client.wait_closed());
    // A request of exactly 64 KiB is still fine.
    std::string padded = "{\"cmd\":\"status\",\"pad\":\"\"}";
    padded.insert(padded.size() - 2, std::string(65536 - padded.size(), ' '));
    REQUIRE(padded.size() == 65536);
    auto ok = ask(socket, padded);
    REQUIRE(ok);
    CHECK(ok->find("ok")->as_bool());
}

TEST_CASE("a silent or stuck client does not hold up other clients") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    SocketClient silent(socket);
    silent.send("{\"cmd\":");
    // A client that asks and never reads its replies.
    SocketClient stuck(socket);
    std::string many;
    for (int i = 0; i < 2000; ++i) {
        many += "{\"cmd\":\"status\"}\n";
    }
    stuck.send(many);
    input.write(numbered_lines(0, 10));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 5; }));
    // Both are disconnected after the daemon's timeout.
    CHECK(silent.wait_closed(30s));
    CHECK(stuck.wait_closed(30s));
}

TEST_CASE("the command line shows the daemon's refusal when too many clients are connected") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    std::vector<std::unique_ptr<SocketClient>> held;
    for (int i = 0; i < 32; ++i) {
        held.push_back(std::make_unique<SocketClient>(socket));
        held.back()->send("{\"cmd\":\"status\"}\n");
        REQUIRE(held.back()->read_line()); // served: it holds one of the 32 places
    }
    // The daemon refuses and closes at once, often before the command has sent its request;
    // the command must still read and show the refusal rather than its own failed send.
    for (int i = 0; i < 10; ++i) {
        for (const auto* command : {"status", "reload"}) {
            auto result = run({sluice_binary(), command, "-s", socket});
            INFO(command << " try " << i);
            CHECK(result.exit_code == 1);
            CHECK(result.err == "sluice: too many status clients, try again later\n");
        }
    }
    held.clear();
    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    CHECK(status->find("ok")->as_bool());
}

TEST_CASE("only root or the daemon's own user may reload") {
    if (geteuid() != 0) {
        WARN("not root: cannot connect as another user");
        return;
    }
    TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    // Let nobody reach the socket, as a member of the socket's group would.
    ::chmod(socket.c_str(), 0666);
    auto code = as_nobody([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        auto reload = ask(socket, R"({"cmd":"reload"})");
        if (!status || !status->find("ok")->as_bool() || !reload) {
            return 1;
        }
        auto error = reload->find("error");
        return error && error->as_string().find("reload refused") == 0 ? 0 : 2;
    });
    CHECK(code == 0);
    auto reload = ask(socket, R"({"cmd":"reload"})");
    REQUIRE(reload);
    CHECK(reload->find("ok")->as_bool());
}

TEST_CASE("tap streams the events leaving a component with their time and source") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    SocketClient tap(socket);
    tap.send(R"({"cmd":"tap","component":"odd","limit":3})"
             "\n");
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("taps")->items().size() == 1;
    }));
    input.write(numbered_lines(0, 10));
    for (int seq : {1, 3, 5}) {
        auto line = tap.read_line();
        REQUIRE(line);
        CHECK(line->rfind("{\"_ts\":", 0) == 0);
        CHECK(line->find(",\"_source\":\"in\",\"seq\":" + std::to_string(seq) + ",\"k\":\"x\"}") !=
              std::string::npos);
        std::string error;
        auto event = parse_json(*line, error);
        REQUIRE(event);
        CHECK(event->find("_ts")->as_int() > 1'600'000'000'000'000'000);
    }
    // The limit ends the tap.
    CHECK(tap.wait_closed());

    Process cli({sluice_binary(), "tap", "in", "-n", "2", "-c", dir.file("pipeline.yaml")}, {});
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && !status->find("taps")->items().empty();
    }));
    input.write(numbered_lines(100, 5));
    REQUIRE(cli.wait(20s) == 0);
    auto lines = cli.stdout_text();
    CHECK(lines.find("\"seq\":100,") != std::string::npos);
    CHECK(lines.find("\"seq\":101,") != std::string::npos);
    CHECK(lines.find("\"seq\":102,") == std::string::npos);
}

TEST_CASE("tap of a route's output shows only the events that took that route") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: )" + socket + R"(
sources:
  in: {type: stdin}
stages:
  split:
    type: route
    inputs: [in]
    routes: {even: seq % 2 == 0, four: seq % 4 == 0}
sinks:
  out: {type: file, inputs: [split.even, split.four, split._unmatched], path: )" +
                                                 dir.file("out.jsonl") + "}\n");
    auto daemon = start_daemon(config, socket, input.path());
    SocketClient tap(socket);
    tap.send(R"({"cmd":"tap","component":"split.four","limit":3})"
             "\n");
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("taps")->items().size() == 1;
    }));
    input.write(numbered_lines(0, 10));
    for (int seq : {0, 4, 8}) {
        auto line = tap.read_line();
        REQUIRE(line);
        CHECK(line->find(",\"seq\":" + std::to_string(seq) + ",") != std::string::npos);
    }
    CHECK(tap.wait_closed());
    auto unknown = run({sluice_binary(), "tap", "split.odd", "-s", socket});
    CHECK(unknown.exit_code == 1);
    CHECK(
        unknown.err.find("'split' has no output 'odd', expected one of: even, four, _unmatched") !=
        std::string::npos);
}

TEST_CASE("tap refuses sinks and unknown components") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    auto sink = run({sluice_binary(), "tap", "out", "-s", socket});
    CHECK(sink.exit_code == 1);
    CHECK(sink.err.find("'out' is a sink") != std::string::npos);
    auto unknown = run({sluice_binary(), "tap", "nope", "-s", socket});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("no component named 'nope'") != std::string::npos);
    for (const auto* request : {R"({"cmd":"tap"})", R"({"cmd":"tap","component":7})"}) {
        auto reply = ask(socket, request);
        REQUIRE(reply);
        INFO(request);
        CHECK(reply->find("error")->as_string() ==
              "tap: expected a \"component\" string naming a source, a stage or a stage's "
              "output (stage.output)");
    }
}

TEST_CASE("a tap client that does not read loses events, counted, without slowing the pipeline") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto daemon = start_daemon(fifo_config(dir), socket, input.path());
    SocketClient tap(socket);
    // A small receive buffer so the socket fills up early.
    int small = 4096;
    ::setsockopt(tap.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    tap.send(R"({"cmd":"tap","component":"in"})"
             "\n");
    REQUIRE(wait_until([&] {
        auto status = ask(socket, R"({"cmd":"status"})");
        return status && status->find("taps")->items().size() == 1;
    }));
    constexpr int kEvents = 100000;
    input.write(numbered_lines(0, kEvents));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == kEvents / 2; }));
    auto status = ask(socket, R"({"cmd":"status"})");
    REQUIRE(status);
    const auto& tap_row = status->find("taps")->items().at(0);
    auto sent = tap_row.find("sent")->as_uint();
    auto dropped = tap_row.find("dropped")->as_uint();
    CHECK(dropped > 0);
    CHECK(sent + dropped == kEvents);
    CHECK(status->find("tap_events_dropped")->as_uint() == dropped);
}

TEST_CASE("sluice status prints a table, or JSON with --json, and finds the socket from -c") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto socket = dir.file("status.sock");
    auto config = fifo_config(dir);
    auto daemon = start_daemon(config, socket, input.path());
    input.write(numbered_lines(0, 4));
    REQUIRE(wait_until([&] { return counter(socket, "out", "events_out") == 2; }));

    auto table = run({sluice_binary(), "status", "-c", config});
    CHECK(table.exit_code == 0);
    INFO(table.out);
    CHECK(table.out.find("sluice ") == 0);
    CHECK(table.out.find(
              "NAME  KIND    TYPE    STATE    IN  OUT  DROPPED  ERRORS  QUEUE  LAST EVENT\n") !=
          std::string::npos);
    auto row = table.out.find("\nodd   stage   filter  running   4    2        2       0      0  ");
    REQUIRE(row != std::string::npos);
    auto line = table.out.substr(row + 1, table.out.find('\n', row + 1) - row - 1);
    CHECK(line.back() == 's'); // the age of its last event, such as 4ms

    auto json = run({sluice_binary(), "status", "--json", "-s", socket});
    CHECK(json.exit_code == 0);
    std::string error;
    auto parsed = parse_json(json.out, error);
    REQUIRE(parsed);
    CHECK(component(*parsed, "out")->find("events_out")->as_int() == 2);

    auto missing = run({sluice_binary(), "status", "-s", dir.file("nothing.sock")});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("is sluice running?") != std::string::npos);
    CHECK(run({sluice_binary(), "status", "--bogus"}).exit_code == 2);
    CHECK(run({sluice_binary(), "tap"}).exit_code == 2);
    CHECK(run({sluice_binary(), "tap", "x", "-n", "many"}).exit_code == 2);
}

TEST_CASE("a relative status socket goes under RUNTIME_DIRECTORY") {
    TempDir dir;
    Fifo input(dir, "in.fifo");
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: rel.sock
sources:
  in: {type: stdin}
sinks:
  out: {type: file, inputs: [in], path: )" + dir.file("out.jsonl") +
                                                 R"(}
)");
    Daemon daemon(config, input.path(), {"RUNTIME_DIRECTORY=" + dir.path()});
    REQUIRE(wait_for_status(dir.file("rel.sock")));
    auto result = run({sluice_binary(), "status", "-c", config},
                      {{}, {}, {"RUNTIME_DIRECTORY=" + dir.path()}});
    CHECK(result.exit_code == 0);
    input.close();
    CHECK(daemon.wait(20s) == 0);
}
