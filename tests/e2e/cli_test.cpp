// End-to-end: the command line's exit codes and messages.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace sluice::test;

TEST_CASE("sluice version prints the version and exits 0") {
    auto result = run({sluice_binary(), "version"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.rfind("sluice ", 0) == 0);
}

TEST_CASE("sluice without a command or with a bad flag is a usage error") {
    CHECK(run({sluice_binary()}).exit_code == 2);
    auto result = run({sluice_binary(), "run", "--bogus"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("unexpected argument '--bogus'") != std::string::npos);
    CHECK(run({sluice_binary(), "frobnicate"}).exit_code == 2);
}

TEST_CASE("sluice COMMAND --help prints the usage and exits 0") {
    for (const auto* command : {"run", "check", "status", "tap", "reload", "version"}) {
        for (const auto* flag : {"--help", "-h"}) {
            auto result = run({sluice_binary(), command, flag});
            INFO(command << " " << flag);
            CHECK(result.exit_code == 0);
            CHECK(result.out.rfind("usage:\n", 0) == 0);
            CHECK(result.err.empty());
        }
    }
}

TEST_CASE("an empty -s or -c is a usage error, not a fallback to the default") {
    for (const auto* flag : {"-s", "--socket", "-c", "--config"}) {
        auto result = run({sluice_binary(), "status", flag, ""});
        INFO(flag);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(std::string(flag) + " needs a value, got an empty one") !=
              std::string::npos);
    }
}

TEST_CASE("a second -c or -s is a usage error, not a silent choice of the last") {
    for (const auto* flag : {"-s", "--socket", "-c", "--config"}) {
        auto result = run({sluice_binary(), "status", flag, "/tmp/a", flag, "/tmp/b"});
        INFO(flag);
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(std::string(flag) + " given twice, expected one ") !=
              std::string::npos);
    }
    auto mixed = run({sluice_binary(), "check", "-c", "/tmp/a.yaml", "--config", "/tmp/b.yaml"});
    CHECK(mixed.exit_code == 2);
    CHECK(mixed.err.find("--config given twice, expected one configuration file") !=
          std::string::npos);
}

TEST_CASE("status names an unset variable in daemon.status_socket, not a path with ${VAR} in it") {
    TempDir dir;
    auto config = dir.write("pipeline.yaml", R"(version: 1
daemon:
  status_socket: ${SLUICE_TEST_UNSET_DIR}/status.sock
sources: [this part is not read]
)");
    auto result = run({sluice_binary(), "status", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err == "sluice: cannot find the status socket from " + config + ": " + config +
                            ":3:18: error: environment variable 'SLUICE_TEST_UNSET_DIR' is not "
                            "set, expected it set or a default as "
                            "${SLUICE_TEST_UNSET_DIR:-default}\n"
                            "sluice: name it with -s SOCK or the config with -c FILE\n");
}

TEST_CASE("sluice check points at the line and column of a mistake") {
    TempDir dir;
    auto config = dir.write("broken.yaml", R"(version: 1
sources:
  gen:
    type: generator
stages:
  hot:
    type: filter
    input: [gen]
    condition: temp > 90
sinks:
  out:
    type: stdout
    inputs: [hot]
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(result.err.find(config + ":8:5: error: unknown key 'input', did you mean 'inputs'?") !=
          std::string::npos);
}

TEST_CASE("sluice check reports an expression error at its column") {
    TempDir dir;
    auto config = dir.write("broken.yaml", R"(version: 1
sources:
  gen: {type: generator}
stages:
  hot:
    type: filter
    inputs: [gen]
    condition: temp > 90 && roud(temp) == 3
sinks:
  out: {type: stdout, inputs: [hot]}
)");
    auto result = run({sluice_binary(), "check", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(
        result.err.find(config + ":8:29: error: unknown function 'roud', did you mean 'round'?") !=
        std::string::npos);
}

TEST_CASE("sluice run refuses an invalid file and exits 1") {
    TempDir dir;
    auto config = dir.write("broken.yaml", "version: 1\nsources: {gen: {type: nope}}\n");
    auto result = run({sluice_binary(), "run", "-c", config});
    CHECK(result.exit_code == 1);
    CHECK(result.err.find(config + ":2:") != std::string::npos);
}

TEST_CASE("every example configuration passes sluice check") {
    auto examples = std::filesystem::path(source_dir()) / "config" / "examples";
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(examples)) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        INFO(entry.path().string());
        auto result = run({sluice_binary(), "check", "-c", entry.path().string()});
        CHECK(result.err == "");
        CHECK(result.exit_code == 0);
        ++checked;
    }
    CHECK(checked >= 1);
}
