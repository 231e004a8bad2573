#include "daemon/metrics.hpp"
#include "daemon/status_report.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

namespace {

StatusReport sample_report() {
    StatusReport report;
    report.version = "1.2.3";
    report.pid = 42;
    report.state = "running";
    report.uptime_s = 3723.4567;
    report.config_path = "/etc/sluice/sluice.yaml";
    report.config_sha256 = std::string(64, 'a');
    report.last_reload =
        ReloadResult{false, 1700000000, "f.yaml:3:5: error: bad\nf.yaml:4:1: error: worse", "", ""};
    report.reloads_failed = 1;
    ComponentRow source;
    source.name = "gen";
    source.kind = "source";
    source.type = "generator";
    source.state = "running";
    source.events_in = 100;
    source.events_out = 100;
    source.last_event_age_s = 0.25;
    ComponentRow stage;
    stage.name = "hot \"one\"";
    stage.kind = "stage";
    stage.type = "filter";
    stage.state = "running";
    stage.events_in = 100;
    stage.events_out = 7;
    stage.events_dropped = 93;
    stage.errors = 2;
    stage.last_error = "division by zero";
    report.components = {source, stage};
    report.taps = {{"gen", 5, 1}};
    report.tap_events_dropped = 1;
    return report;
}

} // namespace

TEST_CASE("status JSON round-trips through the parser the CLI uses") {
    auto report = sample_report();
    auto text = render_status_json(report);
    CHECK(text.rfind(
              R"({"ok":true,"version":"1.2.3","pid":42,"state":"running","uptime_s":3723.457,)",
              0) == 0);
    CHECK(text.find('\n') == std::string::npos);
    std::string error;
    auto back = parse_status_json(text, error);
    REQUIRE(back);
    CHECK(back->pid == 42);
    CHECK(back->config_sha256 == report.config_sha256);
    REQUIRE(back->last_reload);
    CHECK_FALSE(back->last_reload->ok);
    CHECK(back->last_reload->error == report.last_reload->error);
    REQUIRE(back->components.size() == 2);
    CHECK(back->components[1].name == "hot \"one\"");
    CHECK(back->components[1].events_dropped == 93);
    CHECK(back->components[0].last_event_age_s == Approx(0.25));
    CHECK_FALSE(back->components[1].last_event_age_s);
    REQUIRE(back->taps.size() == 1);
    CHECK(back->taps[0].dropped == 1);
}

TEST_CASE("status JSON that is not a status reply is refused") {
    std::string error;
    CHECK_FALSE(parse_status_json(R"({"ok":false,"error":"x"})", error));
    CHECK_FALSE(parse_status_json("nonsense", error));
}

TEST_CASE("status table aligns columns and lists last errors") {
    auto table = render_status_table(sample_report());
    INFO(table);
    CHECK(table.find("sluice 1.2.3, pid 42, running, up 1h02m\n") == 0);
    CHECK(table.find("last reload ") != std::string::npos);
    CHECK(table.find("failed: f.yaml:3:5: error: bad\n") != std::string::npos);
    CHECK(table.find("NAME       KIND    TYPE       STATE     IN  OUT  DROPPED  ERRORS  QUEUE  "
                     "LAST EVENT\n") != std::string::npos);
    CHECK(
        table.find("gen        source  generator  running  100  100        0       0      0       "
                   "250ms\n") != std::string::npos);
    CHECK(table.find("hot \"one\"  stage   filter     running  100    7       93       2      0  "
                     "         -\n") != std::string::npos);
    CHECK(table.find("last errors:\n  hot \"one\": division by zero\n") != std::string::npos);
}

TEST_CASE("metrics are Prometheus text with escaped labels") {
    auto text = render_metrics(sample_report());
    CHECK(text.find("# TYPE sluice_component_events_in_total counter\n") != std::string::npos);
    CHECK(text.find("sluice_component_events_in_total{component=\"gen\",kind=\"source\"} 100\n") !=
          std::string::npos);
    CHECK(text.find("sluice_component_events_dropped_total{component=\"hot \\\"one\\\"\","
                    "kind=\"stage\"} 93\n") != std::string::npos);
    CHECK(text.find(
              "sluice_component_state{component=\"gen\",kind=\"source\",state=\"running\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("sluice_reloads_total{result=\"error\"} 1\n") != std::string::npos);
    CHECK(text.find("sluice_last_reload_success 0\n") != std::string::npos);
    CHECK(
        text.find(
            "sluice_component_last_event_age_seconds{component=\"gen\",kind=\"source\"} 0.25\n") !=
        std::string::npos);
    // Every sample line is "name{labels} value" or "name value".
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        REQUIRE(end != std::string::npos);
        auto line = text.substr(start, end - start);
        if (line[0] != '#') {
            CHECK(line.find(' ') != std::string::npos);
            CHECK(line.rfind("sluice_", 0) == 0);
        }
        start = end + 1;
    }
}
