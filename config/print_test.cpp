#include "config/load.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using sluice::testing::test_registry;

namespace {

constexpr std::string_view kConfig = R"(version: 1
daemon: {shutdown_timeout: 1500ms}
sources:
  gps: {type: serial, device: /dev/ttyUSB0, baud: 4800}
  gen: {type: generator, fields: {room: "lab 1", temp: "20"}}
stages:
  r: {type: split, inputs: [gps, gen], routes: {hot: "temp > 90", "odd key": "x"}}
sinks:
  out:
    type: file
    inputs: [r.hot, r._unmatched]
    path: "/var/log/$$HOME/${SLUICE_PRINT_TEST_UNSET:-a b}"
    template: "FAN {on}\n"
    buffer: {when_full: drop_oldest}
actuators:
  fan:
    type: "null"
    inputs: [r.odd key]
    safe_state: "$$$${X}"
)";

PipelineConfig load(std::string_view text) {
    Diagnostics d("p.yaml");
    auto config = load_config_text(text, "p.yaml", test_registry(), d);
    INFO(d.format_all());
    REQUIRE(config);
    return *config;
}

} // namespace

TEST_CASE("print writes every default and loads back to the same configuration") {
    auto first = load(kConfig);
    auto printed = print_config(first);
    INFO(printed);
    auto second = load(printed);
    REQUIRE(first.components.size() == second.components.size());
    for (std::size_t i = 0; i < first.components.size(); ++i) {
        CHECK(first.components[i].name == second.components[i].name);
        CHECK(first.components[i].kind == second.components[i].kind);
        CHECK(first.components[i].options.canonical() == second.components[i].options.canonical());
    }
    CHECK(second.daemon.shutdown_timeout == 1'500'000'000);
    // Printing is a fixed point: the defaults are already there the second time.
    CHECK(print_config(second) == printed);
}

TEST_CASE("print shows defaults, substituted values and escaped dollars") {
    auto printed = print_config(load(kConfig));
    INFO(printed);
    CHECK(printed.find("# effective configuration of p.yaml") == 0);
    CHECK(printed.find("log_level: info") != std::string::npos);
    CHECK(printed.find("shutdown_timeout: 1500ms") != std::string::npos);
    CHECK(printed.find("max_frame_bytes: 64KiB") != std::string::npos);
    CHECK(printed.find("max_events: 10000") != std::string::npos);
    CHECK(printed.find("when_full: drop_oldest") != std::string::npos);
    CHECK(printed.find("\"/var/log/$HOME/a b\"") != std::string::npos);
    CHECK(printed.find("\"$$$${X}\"") != std::string::npos);
    CHECK(printed.find("inputs: [r.hot, r._unmatched]") != std::string::npos);
}

TEST_CASE("print keeps quoted scalars quoted") {
    auto printed = print_config(load(kConfig));
    CHECK(printed.find("temp: \"20\"") != std::string::npos);
    CHECK(printed.find("baud: 4800") != std::string::npos);
}

TEST_CASE("the reference has a table row per option with type, default and doc") {
    auto markdown = config_reference_markdown(test_registry());
    INFO(markdown);
    CHECK(markdown.find("## The `daemon` section") != std::string::npos);
    CHECK(markdown.find("| `log_level` | one of `error`, `warn`, `info`, `debug` | `info` |") !=
          std::string::npos);
    CHECK(markdown.find("### `serial` source\n\nReads a serial port.\n") != std::string::npos);
    CHECK(markdown.find("| `baud` | integer >= 1, <= 4000000 | `9600` | Line speed. |") !=
          std::string::npos);
    CHECK(markdown.find("| `device` | string | required | Device path. |") != std::string::npos);
    CHECK(markdown.find("| `window` | duration >= 1ms, <= 1h | `1s` |") != std::string::npos);
    CHECK(markdown.find("| `inputs` | list of strings | required |") != std::string::npos);
    CHECK(markdown.find("| `max_events` | integer >= 1 | `10000` |") != std::string::npos);
    CHECK(markdown.find("| `safe_state` | string | — |") != std::string::npos);
    CHECK(markdown.find("### `null` sink\n\nDiscards events.\n\nNo options of its own.") !=
          std::string::npos);
}

TEST_CASE("the reference lists a shared option group once per section") {
    auto markdown = config_reference_markdown(test_registry());
    auto first = markdown.find("| `framing` |");
    REQUIRE(first != std::string::npos);
    CHECK(markdown.find("| `framing` |", first + 1) == std::string::npos);
}
