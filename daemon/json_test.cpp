#include "daemon/json.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

TEST_CASE("json parses a flat request object") {
    std::string error;
    auto value = parse_json(R"( {"cmd":"tap","component":"hot","limit":10} )", error);
    REQUIRE(value);
    REQUIRE(value->is_object());
    CHECK(value->find("cmd")->as_string() == "tap");
    CHECK(value->find("component")->as_string() == "hot");
    CHECK(value->find("limit")->as_uint() == 10);
    CHECK(value->find("missing") == nullptr);
}

TEST_CASE("json keeps 64-bit counters exact") {
    std::string error;
    auto value =
        parse_json(R"({"n":18446744073709551615,"m":-9223372036854775808,"d":1.5})", error);
    REQUIRE(value);
    CHECK(value->find("n")->as_uint() == 18446744073709551615ull);
    CHECK(value->find("m")->as_int() == INT64_MIN);
    CHECK(value->find("d")->as_double() == 1.5);
    CHECK(value->find("d")->as_uint() == 1);
}

TEST_CASE("json decodes escapes and surrogate pairs into UTF-8") {
    std::string error;
    auto value = parse_json(R"(["a\"b\\c\/\n\t", "\u00e9\u20ac\ud83d\ude00"])", error);
    REQUIRE(value);
    REQUIRE(value->items().size() == 2);
    CHECK(value->items()[0].as_string() == "a\"b\\c/\n\t");
    CHECK(value->items()[1].as_string() == "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST_CASE("json rejects malformed text with the offset of the mistake") {
    for (const char* bad : {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"\\x\"",
                            "\"\\ud800\"", "01", "1.", "-", "tru", "{a:1}", "\"a\nb\""}) {
        std::string error;
        CHECK_FALSE(parse_json(bad, error));
        CHECK(error.find("invalid JSON at byte") == 0);
    }
}

TEST_CASE("json refuses nesting deeper than the limit") {
    std::string error;
    CHECK(parse_json("[[[[1]]]]", error, 4));
    CHECK_FALSE(parse_json("[[[[[1]]]]]", error, 4));
    CHECK(error.find("less nesting") != std::string::npos);
    std::string deep(100000, '[');
    CHECK_FALSE(parse_json(deep, error));
}

TEST_CASE("json writer places commas and escapes strings") {
    std::string out;
    JsonWriter json(out);
    json.begin_object()
        .key("s")
        .string("a\"b\n")
        .key("list")
        .begin_array()
        .integer(-1)
        .unsigned_integer(18446744073709551615ull)
        .number(2.5)
        .number(3.0)
        .boolean(true)
        .null()
        .begin_object()
        .end_object()
        .end_array()
        .key("nan")
        .number(0.0 / 0.0)
        .end_object();
    CHECK(out ==
          R"({"s":"a\"b\n","list":[-1,18446744073709551615,2.5,3.0,true,null,{}],"nan":null})");
    std::string error;
    CHECK(parse_json(out, error));
}
