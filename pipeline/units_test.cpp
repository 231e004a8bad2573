#include "pipeline/units.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

TEST_CASE("durations parse with every unit") {
    CHECK(parse_duration("250ms") == 250'000'000);
    CHECK(parse_duration("5s") == 5'000'000'000);
    CHECK(parse_duration("2m") == 120'000'000'000);
    CHECK(parse_duration("1h") == 3'600'000'000'000);
    CHECK(parse_duration("1.5s") == 1'500'000'000);
    CHECK(parse_duration("0s") == 0);
    CHECK_FALSE(parse_duration("5"));
    CHECK_FALSE(parse_duration("-1s"));
    CHECK_FALSE(parse_duration("5 s"));
    CHECK_FALSE(parse_duration("fast"));
}

TEST_CASE("rates parse as a count per interval") {
    auto r = parse_rate("10/s");
    REQUIRE(r);
    CHECK(r->per_second() == Approx(10));
    CHECK(parse_rate("5/250ms")->per_second() == Approx(20));
    CHECK(parse_rate("600/m")->per_second() == Approx(10));
    CHECK_FALSE(parse_rate("10"));
    CHECK_FALSE(parse_rate("10/0s"));
}

TEST_CASE("sizes parse binary and decimal units") {
    CHECK(parse_size("512") == 512u);
    CHECK(parse_size("64KiB") == 65536u);
    CHECK(parse_size("1MiB") == 1048576u);
    CHECK(parse_size("10kB") == 10000u);
    CHECK_FALSE(parse_size("1.5"));
    CHECK_FALSE(parse_size("12XB"));
}

TEST_CASE("durations format back to their shortest unit") {
    CHECK(format_duration(250'000'000) == "250ms");
    CHECK(format_duration(5'000'000'000) == "5s");
    CHECK(format_duration(0) == "0s");
}
