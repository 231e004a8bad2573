#include "drivers/builtin.hpp"
#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sluice;

namespace {

// Documented elsewhere: ZeroMQ in its own page, the generator in docs/config.md.
const std::set<std::string_view> kElsewhere = {"zmq", "generator"};

void check_documented(const KindSpec& spec, const std::string& doc) {
    if (kElsewhere.count(spec.type)) {
        return;
    }
    INFO("type " << spec.type);
    CHECK(doc.find("### " + std::string(spec.type) + "\n") != std::string::npos);
    for (const auto& option : spec.options) {
        INFO("option " << option.key);
        CHECK(doc.find("`" + std::string(option.key) + "`") != std::string::npos);
    }
}

} // namespace

TEST_CASE("docs/drivers.md documents every driver type and every option") {
    auto doc = sluice::test::read_file(sluice::test::source_dir() + "/docs/drivers.md");
    REQUIRE_FALSE(doc.empty());
    for (const auto& kind : builtin_source_kinds()) {
        check_documented(kind.spec, doc);
    }
    for (const auto& kind : builtin_sink_kinds()) {
        check_documented(kind.spec, doc);
    }
    for (auto key : {"on_change_only", "min_interval", "safe_state", "stale_after"}) {
        CHECK(doc.find("`" + std::string(key) + "`") != std::string::npos);
    }
}
