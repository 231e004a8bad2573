// docs/zeromq.md stays complete: every option of both zmq kinds is documented there.

#include "drivers/zmq/zmq_sink.hpp"
#include "drivers/zmq/zmq_source.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

TEST_CASE("docs/zeromq.md documents every option of the zmq source and sink") {
    auto doc = sluice::test::read_file(sluice::test::source_dir() + "/docs/zeromq.md");
    REQUIRE_FALSE(doc.empty());
    for (auto options : {sluice::zmq_source_options(), sluice::zmq_sink_options()}) {
        for (const auto& option : options) {
            INFO("option " << option.key);
            CHECK(doc.find("| `" + std::string(option.key) + "` |") != std::string::npos);
        }
    }
}
