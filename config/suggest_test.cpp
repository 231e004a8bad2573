#include "config/suggest.hpp"

#include <catch2/catch.hpp>

#include <array>

using namespace sluice;
using namespace std::string_view_literals;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("input", "inputs") == 1);
    CHECK(edit_distance("seriall", "serial") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("edit distance counts a swap of neighbours as one edit") {
    CHECK(edit_distance("gsp", "gps") == 1);
    CHECK(edit_distance("tpye", "type") == 1);
    CHECK(edit_distance("ab", "ba") == 1);
}

TEST_CASE("closest match suggests a near key and refuses unrelated words") {
    constexpr std::array keys = {"type"sv, "inputs"sv, "key"sv, "max_keys"sv};
    CHECK(closest_match("input", keys) == "inputs");
    CHECK(closest_match("tpye", keys) == "type");
    CHECK(closest_match("colour", keys) == std::nullopt);
    CHECK(closest_match("", keys) == std::nullopt);
}

TEST_CASE("closest match gives no suggestion for very long words") {
    constexpr std::array keys = {"type"sv};
    CHECK(closest_match(std::string(200, 't'), keys) == std::nullopt);
}

TEST_CASE("quote escapes control characters and cuts long texts") {
    CHECK(quote("fast") == "'fast'");
    CHECK(quote("a\nb\tc\x01") == "'a\\nb\\tc\\x01'");
    CHECK(quote(std::string(100, 'x')) == "'" + std::string(60, 'x') + "...'");
}

TEST_CASE("join list separates items with commas") {
    constexpr std::array items = {"a"sv, "b"sv, "c"sv};
    CHECK(join_list(items) == "a, b, c");
    CHECK(join_list(std::span<const std::string_view>()) == "");
}
