#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/json_decoder.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace sluice;

namespace {

struct Decoded {
    DecodeStatus status;
    Event event;
    std::string error;
};

Decoded decode(JsonDecoder& decoder, std::string_view frame) {
    Decoded result;
    result.status = decoder.decode(frame, result.event, result.error);
    return result;
}

Decoded decode(std::string_view frame) {
    JsonDecoder decoder;
    return decode(decoder, frame);
}

Value field(const Decoded& decoded, std::string_view name) {
    return decoded.event.get(intern(name));
}

} // namespace

TEST_CASE("json decoding reads every scalar type in field order") {
    auto d = decode(R"({"sensor":"t1","temp":91.8,"ts":1732300000123,"ok":true,"off":false,)"
                    R"("gone":null,"neg":-17,"exp":1e3})");
    REQUIRE(d.status == DecodeStatus::event);
    REQUIRE(d.event.size() == 8);
    CHECK(symbol_name(d.event.name_at(0)) == "sensor");
    CHECK(field(d, "sensor") == Value::string("t1"));
    CHECK(field(d, "temp").is_double());
    CHECK(field(d, "temp").as_double() == 91.8);
    CHECK(field(d, "ts").is_int());
    CHECK(field(d, "ts").as_int() == 1732300000123);
    CHECK(field(d, "ok") == Value::boolean(true));
    CHECK(field(d, "off") == Value::boolean(false));
    CHECK(d.event.has(intern("gone")));
    CHECK(field(d, "gone").is_null());
    CHECK(field(d, "neg").as_int() == -17);
    CHECK(field(d, "exp").is_double());
    CHECK(field(d, "exp").as_double() == 1000.0);
}

TEST_CASE("json decoding flattens nested objects and arrays to dotted names") {
    auto d = decode(R"({"room":{"temp":21.5,"door":{"open":true}},"a":[1,[2,3],{"b":"x"}],)"
                    R"("empty":{},"none":[],"after":1})");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(field(d, "room.temp").as_double() == 21.5);
    CHECK(field(d, "room.door.open") == Value::boolean(true));
    CHECK(field(d, "a.0").as_int() == 1);
    CHECK(field(d, "a.1.0").as_int() == 2);
    CHECK(field(d, "a.1.1").as_int() == 3);
    CHECK(field(d, "a.2.b") == Value::string("x"));
    CHECK(field(d, "after").as_int() == 1);
    CHECK(d.event.size() == 7);
}

TEST_CASE("json decoding reads integers of every length exactly") {
    // Digits are read eight at a time where they can be: every length and position matters.
    std::mt19937_64 rng(11);
    for (int length = 1; length <= 19; ++length) {
        for (int trial = 0; trial < 50; ++trial) {
            std::string digits = std::to_string(1 + rng() % 9);
            while (static_cast<int>(digits.size()) < length) {
                digits += static_cast<char>('0' + rng() % 10);
            }
            std::uint64_t expected = std::stoull(digits);
            if (expected > static_cast<std::uint64_t>(INT64_MAX)) {
                continue;
            }
            auto d = decode(R"({"n":)" + digits + R"(,"f":)" + digits + ".5}");
            REQUIRE(d.status == DecodeStatus::event);
            CHECK(field(d, "n") == Value::integer(static_cast<std::int64_t>(expected)));
            CHECK(field(d, "f").as_double() == std::stod(digits + ".5"));
        }
    }
    CHECK(decode(R"({"n":12345678x})").status == DecodeStatus::error);
    CHECK(field(decode(R"({"n":1234567,"m":1})"), "n").as_int() == 1234567);
    CHECK(field(decode(R"({"n":-12345678901234567})"), "n").as_int() == -12345678901234567);
}

TEST_CASE("json decoding ends a number at whatever byte follows its digits") {
    // Runs of digits are counted eight bytes at a time: the byte after the run may be below
    // '0' or above '9' (a borrow or a carry in the arithmetic), at any of the eight places.
    for (std::string after : {" ,", ",", "/", ":", "]", "}", "e1", ".25", "\x7f", "\xff"}) {
        for (int length = 1; length <= 12; ++length) {
            std::string digits = std::string("987654321098").substr(0, length);
            auto d = decode(R"({"a":[)" + digits + after + R"(1]})");
            auto expected = std::stoll(digits);
            INFO(digits << " then byte " << static_cast<int>(static_cast<unsigned char>(after[0])));
            if (after == "," || after == " ,") {
                REQUIRE(d.status == DecodeStatus::event);
                CHECK(field(d, "a.0") == Value::integer(expected));
            } else if (after == "e1") {
                auto e = decode(R"({"n":)" + digits + "e1}");
                REQUIRE(e.status == DecodeStatus::event);
                CHECK(field(e, "n").as_double() == static_cast<double>(expected) * 10);
            } else if (after == ".25") {
                auto e = decode(R"({"n":)" + digits + ".25}");
                REQUIRE(e.status == DecodeStatus::event);
                CHECK(field(e, "n").as_double() == std::stod(digits + ".25"));
            } else {
                CHECK(d.status == DecodeStatus::error);
            }
        }
    }
    for (std::string digits : {"0", "7", "1234567", "12345678", "123456789", "1234567890123456"}) {
        auto d = decode(R"({"n":)" + digits + "}");
        REQUIRE(d.status == DecodeStatus::event);
        CHECK(field(d, "n").as_int() == std::stoll(digits));
    }
}

TEST_CASE("json decoding keeps integers that overflow int64 as doubles") {
    auto d = decode(R"({"max":9223372036854775807,"min":-9223372036854775808,)"
                    R"("big":9223372036854775808,"huge":123456789012345678901234567890})");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(field(d, "max").as_int() == INT64_MAX);
    CHECK(field(d, "min").as_int() == INT64_MIN);
    CHECK(field(d, "big").is_double());
    CHECK(field(d, "big").as_double() == 9223372036854775808.0);
    CHECK(field(d, "huge").is_double());
}

TEST_CASE("json decoding reads a number too small for a double as zero") {
    auto d = decode(R"({"tiny":1e-400,"minus":-0.00000000000000000000000001e-399,)"
                    R"("sub":4e-320,"long":0.)" +
                    std::string(400, '0') + R"(1,"id":7})");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(field(d, "tiny").is_double());
    CHECK(field(d, "tiny").as_double() == 0.0);
    CHECK(field(d, "minus").as_double() == 0.0);
    CHECK(std::signbit(field(d, "minus").as_double()));
    CHECK(field(d, "sub").as_double() > 0.0);
    CHECK(field(d, "long").as_double() == 0.0);
    CHECK(field(d, "id").as_int() == 7);
    // Too large stays an error: there is no double near it.
    CHECK(decode(R"({"a":1e999})").status == DecodeStatus::error);
    CHECK(decode(R"({"a":-123456789e400})").status == DecodeStatus::error);
}

TEST_CASE("json decoding unescapes strings and keys") {
    auto d = decode(R"({"q\"k":"a\"b\\c\/d\n\t\r\b\f","u":"\u00e9\u20ac\ud83d\ude00",)"
                    R"("raw":"é€😀","nul":"a\u0000b"})");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(field(d, "q\"k") == Value::string("a\"b\\c/d\n\t\r\b\f"));
    CHECK(field(d, "u") == Value::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
    CHECK(field(d, "raw") == Value::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
    CHECK(field(d, "nul") == Value::string(std::string_view("a\0b", 3)));
}

TEST_CASE("json decoding lets a repeated key replace the earlier value") {
    auto d = decode(R"({"a":1,"a":"two"})");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.event.size() == 1);
    CHECK(field(d, "a") == Value::string("two"));
}

TEST_CASE("json decoding skips a blank frame and accepts surrounding whitespace") {
    CHECK(decode("  \t ").status == DecodeStatus::skip);
    auto d = decode(" \t{ \"a\" : 1 , \"b\" : [ 1 , 2 ] }\r ");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(field(d, "b.1").as_int() == 2);
}

TEST_CASE("json decoding rejects malformed and hostile frames") {
    const char* bad[] = {
        "[1,2]",
        "\"text\"",
        "42",
        "{\"a\":1} trailing",
        "{\"a\":1}{\"b\":2}",
        "{\"a\":1",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":1,}",
        "{\"a\":[1,]}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":1e}",
        "{\"a\":-}",
        "{\"a\":+1}",
        "{\"a\":tru}",
        "{\"a\":nul}",
        "{\"a\":NaN}",
        "{\"a\":\"unterminated}",
        "{\"a\":\"bad \\x escape\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00\"}",
        "{\"a\":\"\\ud800\\u0041\"}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":\"\xff\"}",
        "{\"a\":\"\xc3\"}",
        "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":1e999}",
    };
    for (const char* frame : bad) {
        INFO(frame);
        auto d = decode(frame);
        CHECK(d.status == DecodeStatus::error);
        CHECK_FALSE(d.error.empty());
    }
}

TEST_CASE("json decoding rejects nesting deeper than the limit") {
    auto nested = [](int depth) {
        std::string text;
        for (int i = 1; i < depth; ++i) {
            text += "{\"a\":";
        }
        text += "{\"leaf\":1}";
        text += std::string(static_cast<std::size_t>(depth - 1), '}');
        return text;
    };
    CHECK(decode(nested(JsonDecoder::kMaxDepth)).status == DecodeStatus::event);
    auto too_deep = decode(nested(JsonDecoder::kMaxDepth + 1));
    CHECK(too_deep.status == DecodeStatus::error);
    CHECK(too_deep.error.find("nested") != std::string::npos);
    CHECK(decode("{\"a\":" + std::string(100000, '[')).status == DecodeStatus::error);
}

TEST_CASE("json decoding reuses cached names when the key order changes") {
    JsonDecoder decoder;
    auto first = decode(decoder, R"({"a":1,"b":2})");
    auto second = decode(decoder, R"({"b":3,"a":4,"c":5})");
    auto third = decode(decoder, R"({"a":6,"b":7})");
    CHECK(field(first, "b").as_int() == 2);
    CHECK(field(second, "a").as_int() == 4);
    CHECK(field(second, "b").as_int() == 3);
    CHECK(field(second, "c").as_int() == 5);
    CHECK(field(third, "b").as_int() == 7);
    CHECK(symbol_name(second.event.name_at(0)) == "b");
}

TEST_CASE("json decoding keeps one field per key in frames shaped like the one before") {
    // Frames shaped like the previous one append their fields without searching; a repeated
    // key must still replace, however the frames before it were shaped.
    JsonDecoder decoder;
    const char* frames[] = {R"({"a":1,"b":2})",         R"({"a":1,"a":2})",
                            R"({"a":3,"a":4})",         R"({"a":5,"b":6,"a":7})",
                            R"({"a":8,"b":9})",         R"({"x":{"y":1},"x.y":2})",
                            R"({"x":{"y":3},"x.y":4})", R"({"a":10,"b":11})"};
    std::vector<Decoded> decoded;
    for (const auto* frame : frames) {
        decoded.push_back(decode(decoder, frame));
        REQUIRE(decoded.back().status == DecodeStatus::event);
    }
    CHECK(decoded[1].event.size() == 1);
    CHECK(field(decoded[1], "a").as_int() == 2);
    CHECK(decoded[2].event.size() == 1);
    CHECK(field(decoded[2], "a").as_int() == 4);
    CHECK(decoded[3].event.size() == 2);
    CHECK(field(decoded[3], "a").as_int() == 7);
    CHECK(decoded[4].event.size() == 2);
    CHECK(field(decoded[4], "b").as_int() == 9);
    CHECK(decoded[6].event.size() == 1);
    CHECK(field(decoded[6], "x.y").as_int() == 4);
    CHECK(decoded[7].event.size() == 2);
    CHECK(field(decoded[7], "a").as_int() == 10);
}

TEST_CASE("json decoding with a warm name cache matches decoding each frame afresh") {
    // Random frames over few keys, so shapes repeat, change, and repeat keys within a frame.
    std::mt19937 rng(7);
    JsonDecoder warm;
    for (int i = 0; i < 2000; ++i) {
        std::string frame = "{";
        auto fields = rng() % 5;
        for (unsigned f = 0; f < fields; ++f) {
            frame += (f ? ",\"" : "\"") + std::string(1, static_cast<char>('a' + rng() % 3)) +
                     "\":" + std::to_string(i * 10 + static_cast<int>(f));
        }
        frame += "}";
        auto cached = decode(warm, frame);
        auto fresh = decode(frame);
        REQUIRE(cached.status == DecodeStatus::event);
        CHECK(cached.event == fresh.event);
    }
}

TEST_CASE("json decoding recognises a repeated key by its bytes only when it is spelt the same") {
    // The previous frame's keys are matched byte for byte; every other spelling of a key, or a
    // key that merely starts like one, takes the full path and must decode the same.
    std::mt19937 rng(11);
    const char* spellings[][3] = {{R"("a")", R"("\u0061")", R"("a" )"},
                                  {R"("ab")", R"("a\u0062")", R"( "ab"  )"},
                                  {R"("a\"b")", R"("a\u0022b")", R"("a\"b" )"},
                                  {R"("")", R"("" )", R"("")"}};
    JsonDecoder warm;
    for (int i = 0; i < 3000; ++i) {
        std::string frame = "{";
        auto fields = rng() % 4;
        for (unsigned f = 0; f < fields; ++f) {
            frame += f ? "," : "";
            // Mostly the plain spelling, so the shortcut is taken often.
            auto spelling = rng() % 4 == 0 ? 1 + rng() % 2 : 0;
            frame += spellings[rng() % 4][spelling];
            frame += ":";
            auto n = std::to_string(i * 10 + static_cast<int>(f));
            frame += rng() % 5 == 0 ? R"({"y":)" + n + "}" : n;
        }
        frame += "}";
        auto cached = decode(warm, frame);
        auto fresh = decode(frame);
        REQUIRE(cached.status == DecodeStatus::event);
        INFO(frame);
        CHECK(cached.event == fresh.event);
    }
    // A name that needs escaping is never matched raw: the bytes that would match are not JSON.
    JsonDecoder decoder;
    REQUIRE(decode(decoder, R"({"a\"b":1})").status == DecodeStatus::event);
    CHECK(decode(decoder, R"({"a"b":2})").status == DecodeStatus::error);
}

TEST_CASE("json decoding never crashes on random bytes") {
    std::mt19937 rng(1234);
    JsonDecoder decoder;
    std::uniform_int_distribution<std::size_t> length(0, 200);
    for (int i = 0; i < 10'000; ++i) {
        auto frame = sluice::testing::random_bytes(rng, length(rng));
        if (i % 2 == 0 && !frame.empty()) {
            frame[0] = '{'; // get past the first check more often
        }
        Event event;
        std::string error;
        auto status = decoder.decode(frame, event, error);
        CHECK((status != DecodeStatus::error || !error.empty()));
    }
}
