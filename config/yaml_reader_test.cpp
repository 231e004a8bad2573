#include "config/yaml_reader.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sluice;

namespace {

EnvLookup env() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (name == "DEVICE") {
            return "/dev/ttyUSB0";
        }
        return std::nullopt;
    };
}

std::optional<YamlDocument> read(std::string_view text, Diagnostics& d) {
    return read_yaml(text, env(), d);
}

std::string errors(const Diagnostics& d) {
    return d.format_all();
}

} // namespace

TEST_CASE("reader keeps 1-based positions of values and keys") {
    Diagnostics d("f.yaml");
    auto doc = read("sources:\n  gps:\n    type: serial\n    baud: [1, 2]\n", d);
    REQUIRE(doc);
    const auto& gps = *doc->root.find("sources")->find("gps");
    CHECK(gps.key_position().line == 2);
    CHECK(gps.key_position().column == 3);
    const auto& type = *gps.find("type");
    CHECK(type.position().line == 3);
    CHECK(type.position().column == 11);
    CHECK(type.key_position().column == 5);
    const auto& baud = *gps.find("baud");
    CHECK(baud.is_sequence());
    CHECK(baud.items()[1].position().column == 15);
}

TEST_CASE("reader records which scalars were quoted") {
    Diagnostics d("f.yaml");
    auto doc = read("a: 5\nb: \"5\"\nc: '5'\nd: |\n  5\ne: !!str 5\n", d);
    REQUIRE(doc);
    CHECK_FALSE(doc->root.find("a")->quoted());
    CHECK(doc->root.find("b")->quoted());
    CHECK(doc->root.find("c")->quoted());
    CHECK(doc->root.find("d")->quoted());
    CHECK(doc->root.find("d")->text() == "5\n");
    CHECK(doc->root.find("e")->quoted());
    CHECK_FALSE(d.has_errors());
}

TEST_CASE("reader keeps a written null as text and an empty value as null at its key") {
    Diagnostics d("f.yaml");
    auto doc = read("type: null\nb: ~\nc:\nd: [null, x]\n", d);
    REQUIRE(doc);
    CHECK(doc->root.find("type")->is_scalar());
    CHECK(doc->root.find("type")->text() == "null");
    CHECK(doc->root.find("b")->text() == "~");
    const auto& c = *doc->root.find("c");
    CHECK(c.is_null());
    CHECK(c.position().line == 3);
    CHECK(c.position().column == 1);
    CHECK(doc->root.find("d")->items()[0].text() == "null");
}

TEST_CASE("reader reports a duplicate key at the second with the first's line") {
    Diagnostics d("f.yaml");
    auto doc = read("a: 1\nb: 2\na: 3\n", d);
    REQUIRE(doc);
    CHECK(errors(d) == "f.yaml:3:1: error: duplicate key 'a', already defined at line 1\n");
    CHECK(doc->root.find("a")->text() == "1");
}

TEST_CASE("reader rejects a key that is not a scalar") {
    Diagnostics d("f.yaml");
    auto doc = read("? [a, b]\n: 1\nc: 2\n", d);
    REQUIRE(doc);
    CHECK(errors(d) == "f.yaml:1:3: error: a mapping key must be a name, expected a plain "
                       "string\n");
    CHECK(doc->root.size() == 1);
}

TEST_CASE("reader copies an aliased node and merges << keys") {
    Diagnostics d("f.yaml");
    auto doc = read("base: &b {baud: 9600, parity: even}\n"
                    "gps:\n  <<: *b\n  baud: 4800\n"
                    "list: [*b, *b]\n",
                    d);
    REQUIRE(doc);
    CHECK_FALSE(d.has_errors());
    const auto& gps = *doc->root.find("gps");
    CHECK(gps.find("<<") == nullptr);
    CHECK(gps.find("baud")->text() == "4800");
    CHECK(gps.find("parity")->text() == "even");
    CHECK(doc->root.find("list")->items()[1].find("parity")->text() == "even");
}

TEST_CASE("a merge value that is not a mapping is an error") {
    Diagnostics d("f.yaml");
    REQUIRE(read("a:\n  <<: 5\n", d));
    CHECK(errors(d) == "f.yaml:2:7: error: a '<<' merge value must be a mapping, expected an "
                       "alias such as *defaults or a list of them\n");
}

TEST_CASE("reader substitutes variables in keys and values and marks failures") {
    Diagnostics d("f.yaml");
    auto doc = read("device: ${DEVICE}\nbaud: ${BAUD}\n", d);
    REQUIRE(doc);
    CHECK(doc->root.find("device")->text() == "/dev/ttyUSB0");
    CHECK(doc->root.find("baud")->text() == "${BAUD}");
    CHECK(is_tainted(doc->tainted, {2, 7}));
    CHECK_FALSE(is_tainted(doc->tainted, {1, 9}));
    CHECK(d.error_count() == 1);
}

TEST_CASE("a billion laughs document stops at the node limit") {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
        std::string prev(1, static_cast<char>(c - 1));
        text += std::string(1, c) + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) {
            text += (i ? ", *" : "*") + prev;
        }
        text += "]\n";
    }
    Diagnostics d("f.yaml");
    CHECK_FALSE(read(text, d));
    REQUIRE(d.error_count() == 1);
    CHECK(d.all()[0].message.find("expands to more than 100000 nodes") != std::string::npos);
}

TEST_CASE("a long scalar aliased many times stops at the text limit") {
    std::string text = "a: &a " + std::string(1'000'000, 'x') + "\nb: [";
    for (int i = 0; i < 20; ++i) {
        text += "*a, ";
    }
    text += "*a]\n";
    Diagnostics d("f.yaml");
    CHECK_FALSE(read(text, d));
    REQUIRE(d.error_count() == 1);
    CHECK(d.all()[0].message.find("bytes of text") != std::string::npos);
}

TEST_CASE("nesting deeper than the limit is one error") {
    std::string text = "a: " + std::string(10'000, '[') + std::string(10'000, ']') + "\n";
    Diagnostics d("f.yaml");
    CHECK_FALSE(read(text, d));
    CHECK(errors(d) == "f.yaml:1:67: error: nesting is deeper than 64 levels, expected a "
                       "flatter structure\n");
}

TEST_CASE("a second document is an error") {
    Diagnostics d("f.yaml");
    CHECK_FALSE(read("a: 1\n---\nb: 2\n", d));
    CHECK(errors(d) == "f.yaml:2:1: error: a second YAML document starts here, expected one "
                       "document per file\n");
}

TEST_CASE("a syntax error is reported at yaml-cpp's mark with a hint") {
    Diagnostics d("f.yaml");
    CHECK_FALSE(read("a: [1, 2\nb: 3\n", d));
    CHECK(errors(d) == "f.yaml:2:2: error: invalid YAML: end of sequence flow not found, "
                       "expected ']' to close the list\n");
}

TEST_CASE("a tab in indentation is reported as such") {
    Diagnostics d("f.yaml");
    CHECK_FALSE(read("a:\n  b: 1\n\tc: 2\n", d));
    CHECK(errors(d) == "f.yaml:3:1: error: tab character in indentation, expected spaces (YAML "
                       "does not allow tabs for indentation)\n");
}

TEST_CASE("a tab inside a block scalar is content, not an error") {
    Diagnostics d("f.yaml");
    auto doc = read("t: |\n  a\n  \tb\n", d);
    REQUIRE(doc);
    CHECK(doc->root.find("t")->text() == "a\n\tb\n");
}

TEST_CASE("a byte order mark does not shift positions") {
    Diagnostics d("f.yaml");
    auto doc = read("\xEF\xBB\xBF"
                    "a: 1\nb: null\n",
                    d);
    REQUIRE(doc);
    CHECK(doc->root.find("a")->position().column == 4);
    CHECK(doc->root.find("b")->text() == "null");
}

TEST_CASE("CRLF line endings keep positions and written nulls") {
    Diagnostics d("f.yaml");
    auto doc = read("a: 1\r\nb: null\r\nc:\r\n", d);
    REQUIRE(doc);
    CHECK(doc->root.find("b")->position().line == 2);
    CHECK(doc->root.find("b")->text() == "null");
    CHECK(doc->root.find("c")->is_null());
}

TEST_CASE("an unknown tag is an error") {
    Diagnostics d("f.yaml");
    REQUIRE(read("a: !secret x\n", d));
    CHECK(errors(d) == "f.yaml:1:4: error: unsupported YAML tag '!secret', expected a plain or "
                       "quoted value (or !!str)\n");
}

TEST_CASE("an empty document reads as a null root") {
    Diagnostics d("f.yaml");
    auto doc = read("# only a comment\n", d);
    REQUIRE(doc);
    CHECK(doc->root.is_null());
}
