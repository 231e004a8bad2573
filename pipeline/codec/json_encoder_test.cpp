#include "pipeline/codec/json_decoder.hpp"
#include "pipeline/codec/json_encoder.hpp"
#include "pipeline/codec/text_format.hpp"

#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace sluice;

TEST_CASE("json encoding writes fields in event order with exact number forms") {
    Event event;
    event.set(intern("sensor"), Value::string("t1"));
    event.set(intern("temp"), Value::number(91.8));
    event.set(intern("whole"), Value::number(92.0));
    event.set(intern("tiny"), Value::number(1e-7));
    event.set(intern("big"), Value::number(1e21));
    event.set(intern("seq"), Value::integer(-17));
    event.set(intern("on"), Value::boolean(true));
    event.set(intern("nothing"), Value::null());
    event.set(intern("room.temp"), Value::number(0.1));
    JsonEncoder encoder;
    std::string out = "prefix:";
    encoder.encode(event, out);
    CHECK(out == "prefix:{\"sensor\":\"t1\",\"temp\":91.8,\"whole\":92.0,\"tiny\":1e-07,"
                 "\"big\":1e+21,\"seq\":-17,\"on\":true,\"nothing\":null,\"room.temp\":0.1}\n");
}

TEST_CASE("json encoding writes non-finite doubles as null") {
    Event event;
    event.set(intern("nan"), Value::number(std::nan("")));
    event.set(intern("inf"), Value::number(std::numeric_limits<double>::infinity()));
    event.set(intern("ninf"), Value::number(-std::numeric_limits<double>::infinity()));
    std::string out;
    JsonEncoder().encode(event, out);
    CHECK(out == "{\"nan\":null,\"inf\":null,\"ninf\":null}\n");
}

TEST_CASE("json encoding escapes quotes, control characters and invalid UTF-8") {
    Event event;
    event.set(intern("say \"hi\""), Value::string("a\"b\\c\nd\te\x01\x1f\x7f"));
    event.set(intern("utf8"), Value::string("\xC3\xA9\xF0\x9F\x98\x80"));
    event.set(intern("bad"), Value::string("x\xff\xC3y"));
    event.set(intern("empty"), Value::string(""));
    std::string out;
    JsonEncoder().encode(event, out);
    CHECK(out == "{\"say \\\"hi\\\"\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\x7f\","
                 "\"utf8\":\"\xC3\xA9\xF0\x9F\x98\x80\","
                 "\"bad\":\"x\xEF\xBF\xBD\xEF\xBF\xBDy\",\"empty\":\"\"}\n");
}

TEST_CASE("json encoding writes an empty event as an empty object") {
    std::string out;
    JsonEncoder().encode(Event{}, out);
    CHECK(out == "{}\n");
}

TEST_CASE("json decoding then encoding gives back the same text") {
    const std::string lines[] = {
        R"({"sensor":"t1","temp":91.8,"ts":1732300000123,"seq":17})",
        R"({"a":-0.0,"b":1.5e-300,"c":"\u0001\"\\","d":null,"e":false,"f":-9223372036854775808})",
        R"({"room.temp":21.0,"x":"é😀"})",
    };
    JsonDecoder decoder;
    JsonEncoder encoder;
    for (const auto& line : lines) {
        Event event;
        std::string error;
        REQUIRE(decoder.decode(line, event, error) == DecodeStatus::event);
        std::string out;
        encoder.encode(event, out);
        CHECK(out == line + "\n");
        Event again;
        REQUIRE(decoder.decode(out, again, error) == DecodeStatus::event);
        CHECK(again == event);
    }
}

TEST_CASE("json encoding writes the same digits as std::to_chars for any double") {
    std::mt19937_64 rng(99);
    std::uniform_int_distribution<std::int64_t> mantissa(-2'000'000'000, 2'000'000'000);
    std::uniform_int_distribution<int> decimals(0, 17);
    const double scales[] = {1,   10,   100,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,
                             1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    auto expected = [](double d) {
        char buffer[40];
        auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
        std::string text(buffer, result.ptr);
        if (text.find_first_of(".en") == std::string::npos) {
            text += ".0";
        }
        return text;
    };
    for (int i = 0; i < 200'000; ++i) {
        double d = 0;
        if (i % 2 == 0) {
            // Short decimals, the values sensors send.
            d = static_cast<double>(mantissa(rng)) / scales[decimals(rng)];
        } else {
            auto bits = rng();
            std::memcpy(&d, &bits, sizeof d);
            if (!std::isfinite(d)) {
                continue;
            }
        }
        std::string out;
        append_double(out, d);
        INFO(out);
        REQUIRE(out == expected(d));
    }
    for (double d : {0.0, -0.0, 0.001, 0.0001, 1e5, 123456.0, 1e15, 999999999999999.9, 0.1,
                     0.30000000000000004, 5e-324, 1.7976931348623157e308}) {
        std::string out;
        append_double(out, d);
        CHECK(out == expected(d));
    }
}

TEST_CASE("integers are written exactly as std::to_chars writes them") {
    std::vector<std::int64_t> values = {0, 9, 10, 99, 100, INT64_MAX, INT64_MIN, -1, -10};
    for (std::int64_t p = 1;; p *= 10) {
        values.insert(values.end(), {p - 1, p, p + 1, -p, -(p - 1)});
        if (p > INT64_MAX / 10) {
            break;
        }
    }
    std::mt19937_64 rng(3);
    for (int i = 0; i < 20000; ++i) {
        values.push_back(static_cast<std::int64_t>(rng() >> (rng() % 64)));
        values.push_back(-static_cast<std::int64_t>(rng() >> (1 + rng() % 63)));
    }
    for (auto value : values) {
        char ours[kMaxIntChars];
        char theirs[kMaxIntChars];
        std::string_view written(ours, static_cast<std::size_t>(write_int(ours, value) - ours));
        auto end = std::to_chars(theirs, theirs + sizeof theirs, value).ptr;
        REQUIRE(written == std::string_view(theirs, static_cast<std::size_t>(end - theirs)));
    }
}
