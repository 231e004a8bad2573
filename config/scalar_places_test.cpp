// The places of a scalar's bytes, checked through the real YAML reader: every byte of the value
// must map to the file byte it came from.

#include "config/yaml_reader.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace sluice;

namespace {

/// The file byte at a 1-based line and column, or '\0' past the text.
char byte_at(const std::string& text, Position where) {
    std::size_t at = 0;
    for (std::uint32_t line = 1; line < where.line; ++line) {
        at = text.find('\n', at);
        if (at == std::string::npos) {
            return '\0';
        }
        ++at;
    }
    at += where.column - 1;
    return at < text.size() ? text[at] : '\0';
}

/// The `v:` value of a one-key document, parsed for real.
ConfigNode value_of(const std::string& text) {
    Diagnostics d("f.yaml");
    auto doc = read_yaml(
        text, [](const std::string&) { return std::nullopt; }, d);
    INFO(text);
    INFO(d.format_all());
    REQUIRE(doc);
    REQUIRE(!d.has_errors());
    const auto* v = doc->root.find("v");
    REQUIRE(v);
    return *v;
}

/// Checks that each byte of the value stands where its origin says: the same byte, or the
/// backslash of the escape that made it, or (for a space) the line break folded into it.
void check_places(const std::string& text, const std::string& expected_value) {
    auto node = value_of(text);
    INFO(text);
    REQUIRE(node.text() == expected_value);
    auto origin = node.text_origin();
    for (std::size_t k = 0; k < node.text().size(); ++k) {
        char c = node.text()[k];
        char written = byte_at(text, origin.at(k));
        INFO("byte " << k << " '" << c << "' at " << origin.at(k).line << ":" << origin.at(k).column
                     << " is '" << written << "'");
        bool folded = c == ' ' && (written == '\n' || written == '\r');
        bool crlf = c == '\n' && written == '\r';
        CHECK((written == c || written == '\\' || folded || crlf));
    }
}

/// A random expression-like line: words, operators, quotes, no YAML indicators at its start.
std::string random_words(std::mt19937& rng, std::size_t words) {
    static const std::vector<std::string> pieces = {
        "temp", "humidity", ">", "<", "&&", "||", "(", ")", "90", "1.5", "==", "sensor", "+"};
    std::string out = "x";
    for (std::size_t i = 0; i < words; ++i) {
        out += " " + pieces[rng() % pieces.size()];
    }
    return out;
}

} // namespace

TEST_CASE("a value on one line as written needs no places") {
    CHECK(value_of("v: temp > 90\n").text_origin().places.empty());
    CHECK(value_of("v: \"temp > 90\"\n").text_origin().places.empty());
    CHECK(value_of("v: 'temp > 90'\n").text_origin().places.empty());
    // A quoted value starts after its quote.
    CHECK(value_of("v: \"temp > 90\"\n").text_origin().at(0).column == 5);
}

TEST_CASE("each byte of a folded, quoted or block value maps to where it is written") {
    check_places("v: >\n  temp > 90 &&\n    (humidity > 3)\n  || x\n",
                 "temp > 90 &&\n  (humidity > 3)\n|| x\n");
    check_places("v: |\n  a &&\n\n    b\n", "a &&\n\n  b\n");
    check_places("v: |-\n  a &&\n  b\n", "a &&\nb");
    check_places("v: temp > 90\n  && b\n\n  || c\n", "temp > 90 && b\n|| c");
    check_places("v: \"a \\\"q\\\" \\x41\\u00e9\\U0001F600 \\\\d\n   b\"\n",
                 "a \"q\" A\xC3\xA9\xF0\x9F\x98\x80 \\d b");
    check_places("v: \"a \\\n   b\"\n", "a b");
    check_places("v: 'it''s\n  here'\n", "it's here");
    check_places("v: >\r\n  a\r\n  b\r\n\r\n  c\r\n", "a b\nc\n");
    check_places("v: |\r\n  a\r\n  b\r\n", "a\nb\n");
}

TEST_CASE("places of random values over several lines in every style") {
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::vector<std::string> lines;
        for (std::size_t n = 1 + rng() % 4; n > 0; --n) {
            lines.push_back(random_words(rng, 1 + rng() % 6));
        }
        std::string joined_spaces;
        std::string joined_lines;
        std::string plain = "v: ";
        std::string quoted = "v: \"";
        std::string literal = "v: |\n";
        std::string folded = "v: >\n";
        for (std::size_t i = 0; i < lines.size(); ++i) {
            joined_spaces += (i ? " " : "") + lines[i];
            joined_lines += lines[i] + "\n";
            auto indent = std::string(2 + rng() % 3, ' ');
            plain += (i ? "\n" + indent : "") + lines[i];
            quoted += (i ? "\n" + indent : "") + lines[i];
            literal += "  " + lines[i] + "\n";
            folded += "  " + lines[i] + "\n";
        }
        check_places(plain + "\n", joined_spaces);
        check_places(quoted + "\"\n", joined_spaces);
        check_places(literal, joined_lines);
        auto folded_value = joined_spaces + "\n";
        check_places(folded, folded_value);
    }
}
