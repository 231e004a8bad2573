#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/codecs.hpp"
#include "pipeline/codec/timestamp.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

TEST_CASE("epoch numbers are read in the unit their magnitude implies") {
    CHECK(epoch_to_nanos(std::int64_t{1732300000}) == 1732300000'000000000);
    CHECK(epoch_to_nanos(std::int64_t{1732300000123}) == 1732300000123'000000);
    CHECK(epoch_to_nanos(std::int64_t{1732300000123456}) == 1732300000123456'000);
    CHECK(epoch_to_nanos(std::int64_t{1732300000123456789}) == 1732300000123456789);
    CHECK(epoch_to_nanos(std::int64_t{0}) == 0);
    CHECK(epoch_to_nanos(1732300000.5) == 1732300000'500000000);
    CHECK_FALSE(epoch_to_nanos(std::nan("")));
    CHECK(epoch_to_nanos(INT64_MIN) == INT64_MIN);
}

TEST_CASE("RFC 3339 times are read with fractions and offsets") {
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_rfc3339("2024-11-22T18:26:40.123Z") == 1732300000'123000000);
    CHECK(parse_rfc3339("2024-11-22T19:26:40.123456789+01:00") == 1732300000'123456789);
    CHECK(parse_rfc3339("2024-11-22 18:26:40") == 1732300000'000000000);
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z").has_value());
    CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2024-13-01T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("2024-11-22T18:26:40.Z"));
    CHECK_FALSE(parse_rfc3339("2024-11-22T18:26"));
    CHECK_FALSE(parse_rfc3339("2024-11-22T18:26:40Zjunk"));
    CHECK_FALSE(parse_rfc3339(""));
}

TEST_CASE("timestamp_field sets the event time and rejects a field that holds none") {
    TestOptions config;
    config.set("timestamp_field", "ts");
    auto decoder = make_decoder("json", config.options);
    REQUIRE(decoder);
    Event event;
    event.set_ts(5);
    std::string error;
    REQUIRE(decoder->decode(R"({"ts":1732300000123,"v":1})", event, error) == DecodeStatus::event);
    CHECK(event.ts() == 1732300000123'000000);
    CHECK(event.has(intern("ts")));

    Event without;
    without.set_ts(5);
    REQUIRE(decoder->decode(R"({"v":1})", without, error) == DecodeStatus::event);
    CHECK(without.ts() == 5);

    Event text;
    REQUIRE(decoder->decode(R"({"ts":"2024-11-22T18:26:40Z"})", text, error) ==
            DecodeStatus::event);
    CHECK(text.ts() == 1732300000'000000000);

    Event bad;
    CHECK(decoder->decode(R"({"ts":"yesterday"})", bad, error) == DecodeStatus::error);
    CHECK(error.find("ts") != std::string::npos);
}
