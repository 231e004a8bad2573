// End-to-end: the real sluice binary, started and stopped by the test.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>

using namespace sluice::test;
using namespace std::chrono_literals;

namespace {

/// A pipeline that passes standard input to standard output unchanged.
std::string stdin_to_stdout(const TempDir& dir) {
    return dir.write("rules.yaml", R"(version: 1
sources:
  in: {type: stdin}
sinks:
  out: {type: stdout, inputs: [in]}
)");
}

} // namespace

TEST_CASE("generator to filter to file keeps exactly the passing events across SIGTERM") {
    TempDir dir;
    auto out = dir.file("out.jsonl");
    auto config = dir.write("pipeline.yaml", R"(version: 1
sources:
  gen:
    type: generator
    rate: 2000
    keys: [a]
stages:
  every_third:
    type: filter
    inputs: [gen]
    condition: seq % 3 == 0
sinks:
  out:
    type: file
    inputs: [every_third]
    path: )" + out + "\n");
    Process sluice({sluice_binary(), "run", "-c", config}, {});
    REQUIRE(wait_until([&] { return read_lines(out).size() >= 50; }));
    sluice.signal(SIGTERM);
    REQUIRE(sluice.wait(10s) == 0);

    auto lines = read_lines(out);
    REQUIRE(lines.size() >= 50);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        CHECK(lines[i] == R"({"sensor":"a","seq":)" + std::to_string(3 * i) + "}");
    }
    // The file ends with a complete line: nothing was cut off at shutdown.
    auto text = read_file(out);
    CHECK(text.back() == '\n');
    CHECK(sluice.stderr_text().find("stopping: signal received") != std::string::npos);
}

TEST_CASE("sluice exits by itself once a counted generator is done") {
    TempDir dir;
    auto out = dir.file("out.jsonl");
    auto config = dir.write("pipeline.yaml", R"(version: 1
sources:
  gen:
    type: generator
    rate: 0
    count: 100
    keys: [a, b]
stages:
  late_b:
    type: filter
    inputs: [gen]
    condition: seq >= 45 && sensor == "b"
sinks:
  out:
    type: file
    inputs: [late_b]
    path: )" + out + "\n");
    auto result = run({sluice_binary(), "run", "-c", config});
    REQUIRE(result.exit_code == 0);
    std::vector<std::string> expected;
    for (int seq = 45; seq < 50; ++seq) {
        expected.push_back(R"({"sensor":"b","seq":)" + std::to_string(seq) + "}");
    }
    CHECK(read_lines(out) == expected);
}

TEST_CASE("sluice filters stdin to stdout as a batch job and counts bad lines") {
    TempDir dir;
    auto input = dir.write("in.jsonl", R"({"sensor":"t1","temp":91.8,"seq":1}
{"sensor":"t2","temp":20.5,"seq":2}
this is not json
{"sensor":"t3","temp":95,"seq":3}
{"sensor":"t4","temp":"hot","seq":4}
{"sensor":"t5","room":{"temp":99.5},"temp":90.5,"seq":5})");
    auto config = dir.write("rules.yaml", R"(version: 1
sources:
  in:
    type: stdin
stages:
  hot:
    type: filter
    inputs: [in]
    condition: temp > 90
sinks:
  out:
    type: stdout
    inputs: [hot]
)");
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = {}, .env = {}});
    REQUIRE(result.exit_code == 0);
    CHECK(result.out == R"({"sensor":"t1","temp":91.8,"seq":1}
{"sensor":"t3","temp":95,"seq":3}
{"sensor":"t5","room.temp":99.5,"temp":90.5,"seq":5}
)");
    CHECK(result.err.find("in: dropped undecodable frame") != std::string::npos);
}

TEST_CASE("a batch job runs matches() on 60 KB lines and drops a line past its step limit") {
    TempDir dir;
    auto input = dir.write("in.txt", "ERR " + std::string(60000, 'x') + " timeout\n" +
                                         std::string(40, 'x') + "yz\nERR short timeout\n");
    auto config = dir.write("rules.yaml", R"(version: 1
sources:
  in: {type: stdin, decode: text}
stages:
  errors:
    type: filter
    inputs: [in]
    condition: 'matches(message, "ERR.*timeout") || matches(message, "(x+x+)+z")'
  sizes:
    type: map
    inputs: [errors]
    set: {length: len(message)}
    drop: [message]
sinks:
  out: {type: stdout, inputs: [sizes]}
)");
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = {}, .env = {}});
    REQUIRE(result.exit_code == 0);
    // The x line fails its second search at the step limit: dropped, counted and logged.
    CHECK(result.out == "{\"length\":60012}\n{\"length\":17}\n");
    CHECK(result.err.find(
              "warn: errors: dropped 1 event: regular expression too complex for the input\n") !=
          std::string::npos);
}

TEST_CASE("a batch job logs the events a stage drops on run-time errors") {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 40; ++i) {
        lines += "{\"temp\":" + std::to_string(i % 2 == 0 ? 95 : 90) + "}\n";
    }
    auto input = dir.write("in.jsonl", lines);
    auto config = dir.write("rules.yaml", R"(version: 1
sources:
  in: {type: stdin}
stages:
  ratio:
    type: map
    inputs: [in]
    set: {r: 100 / (temp - 95)}
sinks:
  out: {type: stdout, inputs: [ratio]}
)");
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = {}, .env = {}});
    REQUIRE(result.exit_code == 0);
    CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 20);
    // One message per batch with errors; the 400 bytes of input are one read, so one batch.
    CHECK(result.err.find("warn: ratio: dropped 20 events: division by zero\n") !=
          std::string::npos);
}

TEST_CASE("a batch job logs a few bad lines and counts the rest at its end") {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 40; ++i) {
        lines += "not json " + std::to_string(i) + "\n";
    }
    auto input = dir.write("in.txt", lines);
    auto config = stdin_to_stdout(dir);
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = {}, .env = {}});
    REQUIRE(result.exit_code == 0);
    std::size_t logged = 0;
    for (auto at = result.err.find("in: dropped undecodable frame"); at != std::string::npos;
         at = result.err.find("in: dropped undecodable frame", at + 1)) {
        ++logged;
    }
    CHECK(logged == 5);
    CHECK(result.err.find("warn: in: suppressed 35 similar messages\n") != std::string::npos);
}

TEST_CASE("sluice run on an empty stdin exits 0 with no output") {
    TempDir dir;
    auto config = stdin_to_stdout(dir);
    auto result = run({sluice_binary(), "run", "-c", config});
    CHECK(result.exit_code == 0);
    CHECK(result.out.empty());
}

TEST_CASE("sluice run as a batch job emits the windows and debounced events open at the end") {
    TempDir dir;
    auto input = dir.write("in.jsonl", R"({"sensor":"a","temp":20}
{"sensor":"b","temp":30}
{"sensor":"a","temp":24}
{"sensor":"b","temp":31}
)");
    // The whole recording passes in far less than a window or a quiet period: without the
    // flush at the end of input there would be no output at all.
    auto config = dir.write("rules.yaml", R"(version: 1
sources:
  in: {type: stdin}
stages:
  mean:
    type: window
    inputs: [in]
    key: [sensor]
    every: 3650d
    aggregate: {n: count(), mean: avg(temp)}
  last:
    type: debounce
    inputs: [in]
    key: [sensor]
    for: 1h
  mean_only:
    type: map
    inputs: [mean]
    keep: [sensor, n, mean]
sinks:
  out:
    type: stdout
    inputs: [mean_only, last]
)");
    auto out = dir.file("out.jsonl");
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = out, .env = {}});
    REQUIRE(result.exit_code == 0);
    auto lines = read_lines(out);
    std::sort(lines.begin(), lines.end());
    CHECK(lines == std::vector<std::string>{
                       R"({"sensor":"a","n":2,"mean":22.0})",
                       R"({"sensor":"a","temp":24})",
                       R"({"sensor":"b","n":2,"mean":30.5})",
                       R"({"sensor":"b","temp":31})",
                   });
}

TEST_CASE("field names from hostile input stop at a byte budget, not only at a count") {
    // Each line brings one new 60 KB field name: a million of them would be 60 GB of names.
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 400; ++i) {
        lines += "{\"" + std::string(60000, 'k') + std::to_string(i) + "\":1}\n";
    }
    auto input = dir.write("in.jsonl", lines);
    auto config = dir.write("rules.yaml", R"(version: 1
sources:
  in: {type: stdin}
sinks:
  out: {type: null, inputs: [in]}
)");
    auto result = run({sluice_binary(), "run", "-c", config},
                      {.stdin_path = input, .stdout_path = {}, .env = {}});
    REQUIRE(result.exit_code == 0);
    CHECK(result.err.find("in: dropped undecodable frame: too many distinct field names") !=
          std::string::npos);
}
