#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/codecs.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;

TEST_CASE("the registry builds every codec the option tables list") {
    for (const auto& spec : framing_decode_options()) {
        if (spec.key == "framing") {
            for (auto name : spec.choices) {
                TestOptions config;
                INFO(name);
                CHECK(make_framer(name, config.options) != nullptr);
                CHECK_FALSE(config.diagnostics.has_errors());
            }
        }
        if (spec.key == "decode") {
            for (auto name : spec.choices) {
                TestOptions config;
                INFO(name);
                CHECK(make_decoder(name, config.options) != nullptr);
                CHECK_FALSE(config.diagnostics.has_errors());
            }
        }
    }
    for (const auto& spec : encode_options()) {
        if (spec.key == "encode") {
            for (auto name : spec.choices) {
                TestOptions config;
                if (name == "template") {
                    config.set("template", "{a}\n");
                }
                INFO(name);
                CHECK(make_encoder(name, config.options) != nullptr);
                CHECK_FALSE(config.diagnostics.has_errors());
            }
        }
    }
}

TEST_CASE("the registry reports an unknown codec name at its key") {
    TestOptions config;
    config.set("decode", "yaml");
    CHECK(make_decoder("yaml", config.options) == nullptr);
    REQUIRE(config.diagnostics.error_count() == 1);
    const auto& diagnostic = config.diagnostics.all().front();
    CHECK(diagnostic.position.line == 2);
    CHECK(diagnostic.message.find("unknown decoder 'yaml'") != std::string::npos);
    CHECK(diagnostic.message.find("json") != std::string::npos);

    TestOptions framing;
    CHECK(make_framer("morse", framing.options) == nullptr);
    CHECK(framing.diagnostics.has_errors());
    TestOptions encoding;
    CHECK(make_encoder("xml", encoding.options) == nullptr);
    CHECK(encoding.diagnostics.has_errors());
}

TEST_CASE("the registry reads max_frame_bytes as a size") {
    TestOptions config;
    config.set("max_frame_bytes", "1KiB");
    auto framer = make_framer("lines", config.options);
    REQUIRE(framer);
    CHECK(framer->max_frame_bytes() == 1024);
    TestOptions defaults;
    CHECK(make_framer("lines", defaults.options)->max_frame_bytes() == 64 * 1024);
}

TEST_CASE("the option tables declare each key once with a doc") {
    for (auto table : {framing_decode_options(), encode_options()}) {
        for (std::size_t i = 0; i < table.size(); ++i) {
            CHECK_FALSE(table[i].doc.empty());
            for (std::size_t j = i + 1; j < table.size(); ++j) {
                CHECK(table[i].key != table[j].key);
            }
        }
    }
}
