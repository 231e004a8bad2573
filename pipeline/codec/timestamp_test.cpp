#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/codecs.hpp"
#include "pipeline/codec/timestamp.hpp"

#include <catch2/catch.hpp>

#include <limits>

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

TEST_CASE("epoch doubles give the exact nanoseconds of the number as written, in every unit") {
    // Seconds.
    CHECK(epoch_to_nanos(1732300000.25) == 1732300000'250000000);
    CHECK(epoch_to_nanos(1732300000.123) == 1732300000'123000000);
    CHECK(epoch_to_nanos(1732300000.123456) == 1732300000'123456000);
    CHECK(epoch_to_nanos(-1732300000.25) == -1732300000'250000000);
    CHECK(epoch_to_nanos(-1.5) == -1'500000000);
    CHECK(epoch_to_nanos(0.000000001) == 1);
    CHECK(epoch_to_nanos(1e-12) == 0);
    CHECK(epoch_to_nanos(-0.0) == 0);
    CHECK(epoch_to_nanos(1.0000000005) == 1'000000001); // half a nanosecond rounds away from 0
    CHECK(epoch_to_nanos(-1.0000000005) == -1'000000001);
    CHECK(epoch_to_nanos(9200000000.5) == 9200000000'500000000);
    CHECK(epoch_to_nanos(-9200000000.5) == -9200000000'500000000);
    // Milliseconds.
    CHECK(epoch_to_nanos(1732300000123.456) == 1732300000123'456000);
    CHECK(epoch_to_nanos(-1732300000123.5) == -1732300000123'500000);
    // Microseconds.
    CHECK(epoch_to_nanos(1732300000123456.5) == 1732300000123456'500);
    CHECK(epoch_to_nanos(-1732300000123456.0) == -1732300000123456'000);
    // Nanoseconds.
    CHECK(epoch_to_nanos(1e18) == 1'000000000'000000000);
    CHECK(epoch_to_nanos(-9.2e18) == -9'200000000'000000000);
    CHECK(epoch_to_nanos(1732300000123456789.0) == 1732300000123456800);
}

TEST_CASE("epoch doubles out of range or not finite hold no time") {
    CHECK_FALSE(epoch_to_nanos(9300000000.0)); // seconds past 2262
    CHECK_FALSE(epoch_to_nanos(-9300000000.0));
    CHECK_FALSE(epoch_to_nanos(99999999999.9)); // the largest seconds, far past 2262
    CHECK_FALSE(epoch_to_nanos(9.3e18));
    CHECK_FALSE(epoch_to_nanos(1e300));
    CHECK_FALSE(epoch_to_nanos(-1e300));
    CHECK_FALSE(epoch_to_nanos(std::numeric_limits<double>::infinity()));
    CHECK_FALSE(epoch_to_nanos(-std::numeric_limits<double>::infinity()));
    CHECK_FALSE(epoch_to_nanos(std::nan("")));
    CHECK(epoch_to_nanos(5e-324) == 0); // the smallest double
}

TEST_CASE("epoch text with a fraction gives the exact nanoseconds of its digits, in every unit") {
    // Seconds.
    CHECK(epoch_text_to_nanos("1732300000.25") == 1732300000'250000000);
    CHECK(epoch_text_to_nanos("1732300000.123456789") == 1732300000'123456789);
    CHECK(epoch_text_to_nanos("-1732300000.25") == -1732300000'250000000);
    CHECK(epoch_text_to_nanos("0.5") == 500000000);
    CHECK(epoch_text_to_nanos("-0.0") == 0);
    CHECK(epoch_text_to_nanos("0001732300000.5") == 1732300000'500000000);
    // Milliseconds, microseconds, nanoseconds: the whole part's magnitude picks the unit.
    CHECK(epoch_text_to_nanos("1732300000123.5") == 1732300000123'500000);
    CHECK(epoch_text_to_nanos("1732300000123456.5") == 1732300000123456'500);
    // A double cannot hold this one; its text is read digit for digit.
    CHECK(epoch_text_to_nanos("1732300000123456789.4") == 1732300000123456789);
    // Integers are read as before.
    CHECK(epoch_text_to_nanos("1732300000") == 1732300000'000000000);
    CHECK(epoch_text_to_nanos("-9223372036854775808") == INT64_MIN);
}

TEST_CASE("epoch text rounds half a nanosecond away from zero and only then") {
    CHECK(epoch_text_to_nanos("1.0000000005") == 1'000000001);
    CHECK(epoch_text_to_nanos("-1.0000000005") == -1'000000001);
    CHECK(epoch_text_to_nanos("1.00000000049999999999") == 1'000000000);
    CHECK(epoch_text_to_nanos("1.00000000050000000000000001") == 1'000000001);
    CHECK(epoch_text_to_nanos("0.0000000004") == 0);
    CHECK(epoch_text_to_nanos("1.9999999999") == 2'000000000); // the carry reaches the seconds
    CHECK(epoch_text_to_nanos("1732300000123.0000005") == 1732300000123'000001);
    CHECK(epoch_text_to_nanos("1732300000123456789.5") == 1732300000123456790);
    // At the ends of the range: the largest and smallest times, and just past them.
    CHECK(epoch_text_to_nanos("9223372036.854775807") == INT64_MAX);
    CHECK(epoch_text_to_nanos("-9223372036.854775808") == INT64_MIN);
    CHECK_FALSE(epoch_text_to_nanos("9223372036.8547758075"));
    CHECK_FALSE(epoch_text_to_nanos("9300000000.5"));
    CHECK_FALSE(epoch_text_to_nanos("99999999999999999999.5"));
}

TEST_CASE("epoch text that is not a plain decimal number holds no epoch") {
    for (const char* text : {"1.2.3", ".5", "-.5", "5.", "1e3", "1.5e3", "+1.5", " 1.5", "1.5 ",
                             "-", "", ".", "1,5", "0x10", "1.5s", "1.-5", "--1.5"}) {
        INFO(text);
        CHECK_FALSE(epoch_text_to_nanos(text));
        CHECK_FALSE(timestamp_from_value(Value::string(text)));
    }
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

    Event fraction;
    REQUIRE(decoder->decode(R"({"ts":1732300000.25})", fraction, error) == DecodeStatus::event);
    CHECK(fraction.ts() == 1732300000'250000000);

    Event fraction_text;
    REQUIRE(decoder->decode(R"({"ts":"1732300000.25"})", fraction_text, error) ==
            DecodeStatus::event);
    CHECK(fraction_text.ts() == 1732300000'250000000);

    Event bad;
    CHECK(decoder->decode(R"({"ts":"yesterday"})", bad, error) == DecodeStatus::error);
    CHECK(decoder->decode(R"({"ts":"1.2.3"})", bad, error) == DecodeStatus::error);
    CHECK(error.find("ts") != std::string::npos);
}
