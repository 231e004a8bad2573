#include "drivers/runtime/scope.hpp"
#include "drivers/sources/file.hpp"
#include "drivers/test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

using namespace sluice;
using namespace sluice::testing;

namespace {

struct Harness {
    Scheduler scheduler;
    Scope scope{scheduler};
    CollectingOutput output{scheduler};
    std::unique_ptr<Source> source;
    std::string outcome;

    explicit Harness(const std::string& body) {
        Diagnostics diagnostics;
        source = FileSource::make(component("version: 1\nsources:\n  in:\n    type: file\n" + body +
                                                "sinks:\n  out: {type: null, inputs: [in]}\n",
                                            "in"),
                                  diagnostics);
        REQUIRE(source);
        scope.spawn(run_source(source.get(), &scheduler, &output, &outcome), "in");
    }
    ~Harness() {
        source->stop();
        CHECK(run_until(scheduler, [&] { return scope.active() == 0; }));
        scheduler.run();
        CHECK(scheduler.close());
    }
};

void append(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
}

} // namespace

TEST_CASE("file source reads to the end of the file and ends") {
    sluice::test::TempDir dir;
    std::string text;
    for (int i = 0; i < 5000; ++i) {
        text += "{\"i\":" + std::to_string(i) + "}\n";
    }
    auto path = dir.write("in.jsonl", text + "{\"i\":\"last, no newline\"}");
    Harness h("    path: " + path + "\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.scope.active() == 0; }));
    CHECK(h.outcome == "ended");
    REQUIRE(h.output.lines.size() == 5001);
    CHECK(h.output.lines[4999] == R"({"i":4999})");
    CHECK(h.output.lines[5000] == R"({"i":"last, no newline"})");
}

TEST_CASE("file source without follow fails on a missing file") {
    sluice::test::TempDir dir;
    Harness h("    path: " + dir.file("missing") + "\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.scope.active() == 0; }));
    CHECK(h.outcome.find("no such file") != std::string::npos);
}

TEST_CASE("file source follows a file across rotation and truncation") {
    sluice::test::TempDir dir;
    auto path = dir.file("app.log");
    append(path, "{\"n\":1}\n");
    Harness h("    path: " + path + "\n    follow: true\n    poll_interval: 20ms\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
    append(path, "{\"n\":2}\n{\"n\":");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 2; }));
    append(path, "3}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 3; }));

    // Rotation: the old file moves away (with a last line written just before) and a new file
    // takes its name.
    append(path, "{\"n\":4}\n");
    std::rename(path.c_str(), (path + ".1").c_str());
    append(path, "{\"n\":5,\"pad\":\"abcdefgh\"}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 5; }));

    // Truncation: the file shrinks (below what was read) and is read again from its start.
    { std::ofstream(path, std::ios::trunc) << "{\"n\":6}\n"; }
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 6; }));
    CHECK(h.output.lines == std::vector<std::string>{R"({"n":1})", R"({"n":2})", R"({"n":3})",
                                                     R"({"n":4})", R"({"n":5,"pad":"abcdefgh"})",
                                                     R"({"n":6})"});
    CHECK(h.outcome.empty());
}

TEST_CASE("file source with follow waits for a file that does not exist yet") {
    sluice::test::TempDir dir;
    auto path = dir.file("later.log");
    Harness h("    path: " + path + "\n    follow: true\n    poll_interval: 20ms\n");
    run_until(
        h.scheduler, [] { return false; }, std::chrono::milliseconds(60));
    CHECK(h.source->status().state == ComponentState::backoff);
    append(path, "{\"ok\":true}\n");
    REQUIRE(run_until(h.scheduler, [&] { return h.output.lines.size() == 1; }));
}
