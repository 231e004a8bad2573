#include "config/load.hpp"
#include "config/test_kinds.hpp"
#include "pipeline/stages/builtin_stages.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using namespace sluice;
using sluice::testing::test_registry;

namespace {

constexpr std::string_view kValid = R"(version: 1
daemon:
  log_level: debug
sources:
  gps:
    type: serial
    device: /dev/ttyUSB0
    baud: "4800"
  gen:
    type: generator
stages:
  fwd:
    type: pass
    inputs: [gps, gen]
sinks:
  out:
    type: stdout
    inputs: fwd
actuators:
  fan:
    type: serial
    device: /dev/ttyACM0
    inputs: [fwd]
    safe_state: "FAN 0\n"
)";

std::optional<PipelineConfig> load(std::string_view text, Diagnostics& d) {
    return load_config_text(text, "p.yaml", test_registry(), d);
}

const ComponentConfig& find(const PipelineConfig& config, std::string_view name) {
    for (const auto& c : config.components) {
        if (c.name == name) {
            return c;
        }
    }
    FAIL("no component " << name);
    return config.components.front();
}

} // namespace

TEST_CASE("a valid file loads with components in section and file order") {
    Diagnostics d("p.yaml");
    auto config = load(kValid, d);
    INFO(d.format_all());
    REQUIRE(config);
    CHECK_FALSE(d.has_errors());
    REQUIRE(config->components.size() == 5);
    std::vector<std::string> names;
    for (const auto& c : config->components) {
        names.push_back(c.name);
    }
    CHECK(names == std::vector<std::string>{"gps", "gen", "fwd", "out", "fan"});
    CHECK(config->components[4].kind == ComponentKind::actuator);
    CHECK(config->components[4].type == "serial");
    CHECK(config->path == "p.yaml");
    CHECK(config->sha256.size() == 64);
    CHECK(config->daemon.log_level == "debug");
    CHECK(config->daemon.status_socket == "sluice.sock");
    CHECK(config->daemon.shutdown_timeout == 5'000'000'000);
}

TEST_CASE("defaults are filled in from every option table") {
    Diagnostics d("p.yaml");
    auto config = load(kValid, d);
    REQUIRE(config);
    const auto& gps = find(*config, "gps");
    CHECK(gps.options.find("baud")->text() == "4800");
    CHECK(gps.options.find("parity")->text() == "none");
    CHECK(gps.options.find("framing")->text() == "lines");
    CHECK(gps.options.find("max_frame_bytes")->text() == "64KiB");
    const auto& fwd = find(*config, "fwd");
    CHECK(fwd.options.find("max_keys")->text() == "10000");
    CHECK(fwd.options.find("key") == nullptr);
    const auto& fan = find(*config, "fan");
    CHECK(fan.options.find("on_change_only")->text() == "false");
    CHECK(fan.options.find("min_interval")->text() == "0s");
    CHECK(fan.options.find("baud")->text() == "9600");
    CHECK(fan.options.find("encode")->text() == "json");
    const auto* buffer = fan.options.find("buffer");
    REQUIRE(buffer);
    CHECK(buffer->find("max_events")->text() == "10000");
    CHECK(buffer->find("when_full")->text() == "block");
}

TEST_CASE("the fingerprint is the component as written, before defaults") {
    Diagnostics d("p.yaml");
    auto config = load(kValid, d);
    REQUIRE(config);
    CHECK(find(*config, "gen").fingerprint == R"({"type":"generator"})");
    CHECK(find(*config, "out").fingerprint == R"({"type":"stdout","inputs":"fwd"})");
}

TEST_CASE("a changed option changes only that component's fingerprint") {
    Diagnostics d("p.yaml");
    auto before = load(kValid, d);
    std::string edited(kValid);
    edited.replace(edited.find("4800"), 4, "9600");
    auto after = load(edited, d);
    REQUIRE(before);
    REQUIRE(after);
    CHECK(find(*before, "gps").fingerprint != find(*after, "gps").fingerprint);
    CHECK(find(*before, "fan").fingerprint == find(*after, "fan").fingerprint);
    CHECK(before->sha256 != after->sha256);
}

TEST_CASE("inputs become references with an optional output") {
    Diagnostics d("p.yaml");
    auto config = load(R"(version: 1
sources:
  s: {type: generator}
stages:
  r:
    type: split
    inputs: s
    routes: {hot: "temp > 90"}
sinks:
  a: {type: stdout, inputs: [r.hot, r._unmatched]}
)",
                       d);
    INFO(d.format_all());
    REQUIRE(config);
    const auto& a = find(*config, "a");
    REQUIRE(a.inputs.size() == 2);
    CHECK(a.inputs[0].component == "r");
    CHECK(a.inputs[0].output == "hot");
    CHECK(a.inputs[0].position.line == 10);
    CHECK(a.inputs[0].position.column == 30);
    CHECK(a.inputs[1].text() == "r._unmatched");
    CHECK(find(*config, "r").inputs[0].output.empty());
}

TEST_CASE("warnings alone still return a config") {
    Diagnostics d("p.yaml");
    auto config = load("version: 1\nsources:\n  s: {type: generator}\n", d);
    REQUIRE(config);
    CHECK(d.format_all() == "p.yaml:3:3: warning: source 's' is not read by any stage, sink or "
                            "actuator\n");
}

TEST_CASE("errors already in the diagnostics do not fail a later load") {
    Diagnostics d("p.yaml");
    d.error({1, 1}, "earlier problem");
    CHECK(load(kValid, d));
}

TEST_CASE("several errors in one file are all reported in position order") {
    Diagnostics d("p.yaml");
    auto config = load(R"(version: 1
sources:
  gps:
    type: serial
    baud: 0
    parity: even-ish
sinks:
  out:
    type: stdout
    input: [gps]
)",
                       d);
    CHECK_FALSE(config);
    CHECK(d.format_all() ==
          "p.yaml:3:3: error: source 'gps' is missing required option 'device', expected a "
          "string\n"
          "p.yaml:5:11: error: baud must be at least 1, got 0\n"
          "p.yaml:6:13: error: invalid value 'even-ish' for 'parity', expected one of: none, "
          "even, odd\n"
          "p.yaml:8:3: error: sink 'out' is missing required option 'inputs', expected a list of "
          "strings\n"
          "p.yaml:10:5: error: unknown key 'input', did you mean 'inputs'?\n");
}

TEST_CASE("environment variables are substituted from the process environment") {
    ::setenv("SLUICE_CONFIG_TEST_DEVICE", "/dev/ttyS3", 1);
    Diagnostics d("p.yaml");
    auto config = load(R"(version: 1
sources:
  gps: {type: serial, device: "${SLUICE_CONFIG_TEST_DEVICE}", baud: "${SLUICE_CONFIG_TEST_NO:-19200}"}
sinks:
  out: {type: "null", inputs: gps}
)",
                       d);
    ::unsetenv("SLUICE_CONFIG_TEST_DEVICE");
    INFO(d.format_all());
    REQUIRE(config);
    const auto& gps = find(*config, "gps");
    CHECK(gps.options.find("device")->text() == "/dev/ttyS3");
    CHECK(gps.options.find("baud")->text() == "19200");
    CHECK(gps.fingerprint.find("/dev/ttyS3") != std::string::npos);
}

TEST_CASE("an unset variable is reported once, not again as a bad value") {
    ::unsetenv("SLUICE_CONFIG_TEST_BAUD");
    Diagnostics d("p.yaml");
    CHECK_FALSE(load(R"(version: 1
sources:
  gps: {type: serial, device: x, baud: "${SLUICE_CONFIG_TEST_BAUD}"}
sinks:
  out: {type: stdout, inputs: gps}
)",
                     d));
    CHECK(d.format_all() == "p.yaml:3:40: error: environment variable 'SLUICE_CONFIG_TEST_BAUD' "
                            "is not set, expected it set or a default as "
                            "${SLUICE_CONFIG_TEST_BAUD:-default}\n");
}

TEST_CASE("the status socket must fit a socket address once resolved under RUNTIME_DIRECTORY") {
    auto file = [](std::string_view socket) {
        return "version: 1\ndaemon:\n  status_socket: " + std::string(socket) +
               "\nsources:\n  gen: {type: generator}\nsinks:\n  out: {type: stdout, inputs: "
               "gen}\n";
    };
    const char* before = std::getenv("RUNTIME_DIRECTORY");
    std::string saved = before ? before : "";
    std::string runtime = "/run/" + std::string(100, 'd');
    ::setenv("RUNTIME_DIRECTORY", runtime.c_str(), 1);
    Diagnostics relative("p.yaml");
    CHECK_FALSE(load(file("rel.sock"), relative));
    Diagnostics absolute("p.yaml");
    CHECK(load(file("/run/sluice/status.sock"), absolute));
    ::unsetenv("RUNTIME_DIRECTORY");
    // Without it the path stays relative to the working directory, as written.
    Diagnostics working_dir("p.yaml");
    CHECK(load(file("rel.sock"), working_dir));
    if (before) {
        ::setenv("RUNTIME_DIRECTORY", saved.c_str(), 1);
    }
    REQUIRE(relative.all().size() == 1);
    CHECK(relative.format_all().starts_with("p.yaml:3:18: error: status_socket 'rel.sock' resolves "
                                            "under $RUNTIME_DIRECTORY to '/run/"));
    CHECK(relative.format_all().find("(114 bytes), expected a path of at most 107 bytes") !=
          std::string::npos);
}

TEST_CASE("type null names the null sink") {
    Diagnostics d("p.yaml");
    auto config = load("version: 1\nsources:\n  s: {type: generator}\nsinks:\n  n:\n    type: "
                       "null\n    inputs: s\n",
                       d);
    INFO(d.format_all());
    REQUIRE(config);
    CHECK(find(*config, "n").type == "null");
}

TEST_CASE("load_config_file reads the file and names it in the config") {
    std::string path = "config_load_test_" + std::to_string(::getpid()) + ".yaml";
    {
        std::ofstream out(path);
        out << kValid;
    }
    Diagnostics d(path);
    auto config = load_config_file(path, test_registry(), d);
    std::remove(path.c_str());
    INFO(d.format_all());
    REQUIRE(config);
    CHECK(config->path == path);
}

TEST_CASE("load_config_file reports a file it cannot open") {
    Diagnostics d("/nonexistent/sluice.yaml");
    CHECK_FALSE(load_config_file("/nonexistent/sluice.yaml", test_registry(), d));
    CHECK(d.format_all() == "/nonexistent/sluice.yaml: error: cannot open the file: No such file "
                            "or directory, expected a readable YAML file\n");
}

TEST_CASE("load_config_file reports a directory as unreadable") {
    Diagnostics d(".");
    CHECK_FALSE(load_config_file(".", test_registry(), d));
    CHECK(d.error_count() == 1);
}

TEST_CASE("a file over the size limit is one error") {
    std::string text = "version: 1\n# " + std::string(5 * 1024 * 1024, 'x') + "\n";
    Diagnostics d("big.yaml");
    CHECK_FALSE(load_config_text(text, "big.yaml", test_registry(), d));
    CHECK(d.format_all() == "big.yaml: error: file is larger than 4 MiB, expected a "
                            "configuration file under that size\n");
}

TEST_CASE("a mapping at the key limit loads and one past it is one error") {
    auto mapping = [](int keys) {
        std::string text = "version: 1\nbig:\n";
        for (int i = 0; i < keys; ++i) {
            text += "  k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
        }
        return text;
    };
    Diagnostics at_limit("p.yaml");
    CHECK_FALSE(load(mapping(5000), at_limit));
    CHECK(at_limit.all()[0].message == "unknown key 'big', expected one of: version, sources, "
                                       "stages, sinks, actuators, daemon");
    Diagnostics past("p.yaml");
    CHECK_FALSE(load(mapping(40'000), past));
    CHECK(past.format_all() == "p.yaml:5003:3: error: mapping has more than 5000 keys, expected a "
                               "smaller mapping\n");
}

TEST_CASE("an expression error in a real stage is reported inside the quoted expression") {
    KindRegistry registry = test_registry();
    registry.add(builtin_stage_kinds());
    Diagnostics d("p.yaml");
    auto config = load_config_text(R"(version: 1
sources:
  s: {type: generator}
stages:
  f:
    type: filter
    inputs: s
    condition: "temp > > 3"
sinks:
  o: {type: stdout, inputs: f}
)",
                                   "p.yaml", registry, d);
    CHECK_FALSE(config);
    REQUIRE(d.error_count() >= 1);
    INFO(d.format_all());
    CHECK(d.all()[0].position.line == 8);
    // The opening quote stands at column 16; the error points at the second '>' in the text.
    CHECK(d.all()[0].position.column == 24);
}

TEST_CASE("a stage whose type is an unset variable is reported once and not built") {
    ::unsetenv("SLUICE_CONFIG_TEST_TYPE");
    Diagnostics d("p.yaml");
    CHECK_FALSE(load(R"(version: 1
sources:
  s: {type: generator}
stages:
  p: {type: "${SLUICE_CONFIG_TEST_TYPE}", inputs: s}
sinks:
  o: {type: stdout, inputs: p}
)",
                     d));
    CHECK(d.error_count() == 1);
}
