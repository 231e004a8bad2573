// The generated part of docs/config.md must match what the binary generates from its option
// tables: the reference cannot drift from the code.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

using namespace sluice::test;

TEST_CASE("docs/config.md holds the reference the binary generates") {
    auto doc = read_file(source_dir() + "/docs/config.md");
    const std::string begin = "<!-- BEGIN GENERATED REFERENCE -->\n";
    const std::string end = "<!-- END GENERATED REFERENCE -->";
    auto from = doc.find(begin);
    auto to = doc.find(end);
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    auto documented = doc.substr(from + begin.size(), to - from - begin.size());

    auto result = run({sluice_binary(), "check", "--reference"});
    REQUIRE(result.exit_code == 0);
    // Regenerate with scripts/update-reference.sh.
    CHECK(result.out == documented);
}
