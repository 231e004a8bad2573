// End-to-end: `sluice check` (and `sluice run`, which checks the same way) refuses what the
// daemon could not run as written, at the line and column of the value.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sluice::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

TEST_CASE("unix socket paths too long for a socket address are errors, never cut short") {
    TempDir dir;
    auto path = dir.file(std::string(110, 's') + ".sock");
    auto config = dir.write("sockets.yaml", "version: 1\nsources:\n  in:\n    type: unix_server\n"
                                            "    path: " +
                                                path +
                                                "\nsinks:\n  out:\n    type: unix\n"
                                                "    inputs: [in]\n    path: " +
                                                path + "\n");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    INFO(result.err);
    auto expected = "for 'path' (" + std::to_string(path.size()) +
                    " bytes), expected a Unix socket path of at most 107 bytes\n";
    CHECK(contains(result.err, config + ":5:11: error: invalid value '"));
    CHECK(contains(result.err, config + ":10:11: error: invalid value '"));
    CHECK(contains(result.err, expected));
    CHECK(count_lines(result.err) == 2);

    // A path made long by a variable is checked after substitution; run refuses it too, and no
    // socket appears at a cut-short name.
    auto from_env = dir.write("env.yaml", "version: 1\nsources:\n  in:\n    type: unix_server\n"
                                          "    path: ${SOCKET_DIR}/in.sock\n"
                                          "sinks:\n  out: {type: stdout, inputs: [in]}\n");
    auto ran = run({sluice_binary(), "run", "-c", from_env},
                   {{}, {}, {"SOCKET_DIR=" + dir.path() + "/" + std::string(110, 'd')}});
    CHECK(ran.exit_code == 1);
    CHECK(contains(ran.err, from_env + ":5:11: error: invalid value '"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++files;
    }
    CHECK(files == 2); // the two configuration files
}

TEST_CASE("an empty status socket, or one too long once resolved, is an error") {
    TempDir dir;
    auto empty = dir.write("empty.yaml", "version: 1\ndaemon:\n  status_socket: \"\"\nsources:\n"
                                         "  in: {type: stdin}\nsinks:\n"
                                         "  out: {type: stdout, inputs: [in]}\n");
    auto result = run({sluice_binary(), "check", "-c", empty});
    CHECK(result.exit_code == 1);
    CHECK(result.err == empty + ":3:18: error: invalid value '' for 'status_socket', expected "
                                "the path of a Unix socket\n");

    // Under systemd a relative path goes under $RUNTIME_DIRECTORY: run refuses to start rather
    // than run on with no status socket.
    auto relative = dir.write("relative.yaml", "version: 1\ndaemon:\n  status_socket: rel.sock\n"
                                               "sources:\n  in: {type: stdin}\nsinks:\n"
                                               "  out: {type: stdout, inputs: [in]}\n");
    auto runtime = dir.file(std::string(110, 'r'));
    auto ran =
        run({sluice_binary(), "run", "-c", relative}, {{}, {}, {"RUNTIME_DIRECTORY=" + runtime}});
    CHECK(ran.exit_code == 1);
    CHECK(contains(ran.err, relative + ":3:18: error: status_socket 'rel.sock' resolves under "
                                       "$RUNTIME_DIRECTORY to '"));
    CHECK_FALSE(contains(ran.err, "status socket disabled"));
    CHECK(run({sluice_binary(), "check", "-c", relative}).exit_code == 0);
}

TEST_CASE("sluice check reports every error of a file in one run, in file order, once each") {
    TempDir dir;
    auto config = dir.write("broken.yaml", R"(version: 1
sources:
  a:
    type: tcp_server
    listen: nohostport
  b:
    type: tcp_server
    listen: 127.0.0.1:0
    max_frame_bytes: 0
  c:
    type: unix_server
    path: /tmp/sluice-check-test.sock
    mode: "0999"
    decode: csv
    delimiter: ";;"
stages:
  hot:
    type: filter
    inputs: [a]
    condition: "temp >"
sinks:
  out:
    type: stdout
    inputs: [a, b, c]
    encode: template
    template: "{x"
  table:
    type: file
    inputs: [hot]
    path: out.csv
    encode: csv
    header: true
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err ==
          config +
              ":5:13: error: invalid value 'nohostport' for 'listen', expected host:port "
              "such as 127.0.0.1:9000, [::1]:9000 or :9000\n" +
              config + ":9:22: error: max_frame_bytes must be at least 1, got 0\n" + config +
              ":13:11: error: invalid value '0999' for 'mode', expected octal permissions such "
              "as 0660\n" +
              config +
              ":15:16: error: invalid value ';;' for 'delimiter', expected one character other "
              "than a quote or a line break\n" +
              config + ":20:23: error: unexpected end of expression, expected an operand\n" +
              config +
              ":26:15: error: invalid value '{x' for 'template' (unclosed '{' at offset 0), "
              "expected text with {field} placeholders and {{ }} for braces\n" +
              config +
              ":32:13: error: header: true needs the columns to write, expected 'columns' with "
              "the fields in order, or header: false\n");
}

TEST_CASE("a second stdin source, or a second stdout sink or actuator, is an error") {
    // Two readers of fd 0 would take turns at its lines; two libuv streams writing fd 1 stall
    // each other once a slow reader fills the pipe.
    TempDir dir;
    auto config = dir.write("twice.yaml", R"(version: 1
sources:
  a: {type: stdin}
  b:
    type: stdin
    decode: kv
sinks:
  out: {type: stdout, inputs: [a, b]}
actuators:
  fan: {type: stdout, inputs: [a]}
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err == config +
                            ":5:11: error: source 'b' is a second 'stdin' component: source 'a' "
                            "at line 3 already uses standard input, expected one per pipeline "
                            "(let 'a' feed every stage that needs it)\n" +
                            config +
                            ":10:15: error: actuator 'fan' is a second 'stdout' component: sink "
                            "'out' at line 8 already uses standard output, expected one per "
                            "pipeline (one sink or actuator, not both)\n");
}

TEST_CASE("a condition that can never be a bool is an error, a bare field is not") {
    TempDir dir;
    auto config = dir.write("conditions.yaml", R"(version: 1
sources:
  in: {type: stdin}
stages:
  ones: {type: filter, inputs: [in], condition: "1"}
  flagged: {type: filter, inputs: [in], condition: hot}
sinks:
  out: {type: stdout, inputs: [ones, flagged]}
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err == config + ":5:50: error: a condition must be a bool, this is an int (it "
                                 "would never be true), expected a test such as temp > 90\n");
}

TEST_CASE("sluice check names a bad zmq endpoint in a list at the item, not at the list") {
    TempDir dir;
    auto config = dir.write("zmq.yaml", "version: 1\n"
                                        "sources:\n"
                                        "  in:\n"
                                        "    type: zmq\n"
                                        "    socket: sub\n"
                                        "    connect:\n"
                                        "      - tcp://127.0.0.1:5556\n"
                                        "      - 127.0.0.1:5557\n"
                                        "sinks:\n"
                                        "  out:\n"
                                        "    type: zmq\n"
                                        "    inputs: [in]\n"
                                        "    socket: pub\n"
                                        "    bind: [tcp://*:5558, udp://*:5559]\n");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err == config +
                            ":8:9: error: invalid value '127.0.0.1:5557' for 'connect', "
                            "expected tcp://host:port or ipc:///path\n" +
                            config +
                            ":14:26: error: invalid value 'udp://*:5559' for 'bind', "
                            "expected tcp://host:port or ipc:///path\n");
}

TEST_CASE("a size over its limit is reported with the limit in bytes") {
    TempDir dir;
    auto config = dir.write("sizes.yaml", R"(version: 1
sources:
  in: {type: stdin, max_frame_bytes: 2GiB}
sinks:
  out: {type: stdout, inputs: [in]}
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err ==
          config + ":3:38: error: max_frame_bytes must be at most 1073741824, got 2GiB\n");
}

TEST_CASE("a reconnect_min longer than reconnect_max is an error at reconnect_min") {
    TempDir dir;
    auto config = dir.write("backoff.yaml", R"(version: 1
sources:
  slow:
    type: tcp_client
    connect: 127.0.0.1:9
    reconnect_min: 1m
  crossed:
    type: tcp_client
    connect: 127.0.0.1:9
    reconnect_min: 5s
    reconnect_max: 2s
  equal:
    type: tcp_client
    connect: 127.0.0.1:9
    reconnect_min: 5s
    reconnect_max: 5s
sinks:
  out:
    type: zmq
    inputs: [slow, crossed, equal]
    socket: push
    connect: tcp://127.0.0.1:9
    reconnect_min: 2s
    reconnect_max: 1s
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err == config +
                            ":6:20: error: 'reconnect_min' (1m) is more than 'reconnect_max' "
                            "(30s, its default), expected at most that\n" +
                            config +
                            ":10:20: error: 'reconnect_min' (5s) is more than 'reconnect_max' "
                            "(2s), expected at most that\n" +
                            config +
                            ":23:20: error: 'reconnect_min' (2s) is more than 'reconnect_max' "
                            "(1s), expected at most that\n");
}
