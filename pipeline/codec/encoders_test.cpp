// The csv, kv, influx and template encoders: exact output, and round trips where they exist.
#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/codecs.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sluice;
using namespace sluice::testing;

namespace {

std::unique_ptr<Encoder> make(std::string_view name, TestOptions& config) {
    auto encoder = make_encoder(name, config.options);
    REQUIRE(encoder);
    REQUIRE_FALSE(config.diagnostics.has_errors());
    return encoder;
}

Event sample() {
    Event event;
    event.set(intern("sensor"), Value::string("t1"));
    event.set(intern("temp"), Value::number(91.8));
    event.set(intern("seq"), Value::integer(17));
    event.set(intern("on"), Value::boolean(true));
    event.set(intern("note"), Value::string("a \"b\", c"));
    event.set(intern("gone"), Value::null());
    event.set_ts(1700000000000000000);
    return event;
}

std::string encode(Encoder& encoder, const Event& event) {
    std::string out;
    encoder.encode(event, out);
    return out;
}

} // namespace

TEST_CASE("csv encoding writes the configured columns with a header") {
    TestOptions config;
    config.list("columns", {"sensor", "temp", "missing", "note", "on"}).set("header", "true");
    auto encoder = make("csv", config);
    std::string out;
    encoder->begin(out);
    encoder->encode(sample(), out);
    CHECK(out == "sensor,temp,missing,note,on\nt1,91.8,,\"a \"\"b\"\", c\",true\n");
}

TEST_CASE("csv encoding without columns writes every value and quotes ambiguous strings") {
    TestOptions config;
    config.set("delimiter", ";");
    auto encoder = make("csv", config);
    Event event;
    event.set(intern("a"), Value::string("12"));
    event.set(intern("b"), Value::string(""));
    event.set(intern("c"), Value::string("x;y"));
    event.set(intern("d"), Value::string(" pad"));
    event.set(intern("e"), Value::number(2.0));
    event.set(intern("f"), Value::string("line\nbreak"));
    std::string out;
    encoder->begin(out);
    CHECK(out.empty());
    CHECK(encode(*encoder, event) == "\"12\";\"\";\"x;y\";\" pad\";2.0;\"line\nbreak\"\n");
}

TEST_CASE("csv encoding refuses a header without columns") {
    TestOptions config;
    config.set("header", "true");
    CHECK(make_encoder("csv", config.options) == nullptr);
    CHECK(config.diagnostics.has_errors());
}

TEST_CASE("csv encoding then decoding gives back the same fields") {
    TestOptions config;
    config.list("columns", {"sensor", "temp", "seq", "on", "note"});
    auto encoder = make("csv", config);
    auto decoder = make_decoder("csv", config.options);
    auto original = sample();
    original.erase(intern("gone"));
    Event decoded;
    std::string error;
    auto line = encode(*encoder, original);
    line.pop_back();
    REQUIRE(decoder->decode(line, decoded, error) == DecodeStatus::event);
    decoded.set_ts(original.ts());
    CHECK(decoded == original);
}

TEST_CASE("kv encoding writes logfmt that decodes back to the same fields") {
    TestOptions config;
    auto encoder = make("kv", config);
    auto event = sample();
    event.set(intern("num_text"), Value::string("3.5"));
    event.set(intern("empty"), Value::string(""));
    event.set(intern("esc"), Value::string("a\\b\tc"));
    auto line = encode(*encoder, event);
    CHECK(line == "sensor=t1 temp=91.8 seq=17 on=true note=\"a \\\"b\\\", c\" gone= "
                  "num_text=\"3.5\" empty=\"\" esc=\"a\\\\b\\tc\"\n");
    auto decoder = make_decoder("kv", config.options);
    Event decoded;
    std::string error;
    line.pop_back();
    REQUIRE(decoder->decode(line, decoded, error) == DecodeStatus::event);
    decoded.set_ts(event.ts());
    CHECK(decoded == event);
}

TEST_CASE("influx encoding writes tags, typed fields and the timestamp") {
    TestOptions config;
    config.set("measurement", "plant floor").list("tags", {"sensor", "gone"});
    auto encoder = make("influx", config);
    CHECK(encode(*encoder, sample()) ==
          "plant\\ floor,sensor=t1 temp=91.8,seq=17i,on=true,note=\"a \\\"b\\\", c\" "
          "1700000000000000000\n");
}

TEST_CASE("influx encoding takes the measurement from a field and skips eventless lines") {
    TestOptions config;
    config.list("tags", {"site"});
    auto encoder = make("influx", config);
    Event event;
    event.set(intern("measurement"), Value::string("weather"));
    event.set(intern("site"), Value::string("a,b c=d"));
    event.set(intern("t"), Value::number(-0.5));
    event.set(intern("nan"), Value::number(std::nan("")));
    CHECK(encode(*encoder, event) == "weather,site=a\\,b\\ c\\=d t=-0.5\n");

    Event tags_only;
    tags_only.set(intern("site"), Value::string("x"));
    tags_only.set_ts(5);
    std::string out = "kept";
    encoder->encode(tags_only, out);
    CHECK(out == "kept");
    CHECK(encoder->skipped() == 1);

    Event no_measurement;
    no_measurement.set(intern("v"), Value::integer(1));
    CHECK(encode(*encoder, no_measurement) == "sluice v=1i\n");
}

TEST_CASE("influx encoding then decoding gives back the same event") {
    TestOptions config;
    config.list("tags", {"site"});
    auto encoder = make("influx", config);
    Event event;
    event.set(intern("measurement"), Value::string("m"));
    event.set(intern("site"), Value::string("north side"));
    event.set(intern("v"), Value::number(2.0));
    event.set(intern("n"), Value::integer(-3));
    event.set(intern("s"), Value::string("quote \" and \\"));
    event.set(intern("b"), Value::boolean(false));
    event.set_ts(1700000000123456789);
    auto line = encode(*encoder, event);
    line.pop_back();
    auto decoder = make_decoder("influx", config.options);
    Event decoded;
    std::string error;
    REQUIRE(decoder->decode(line, decoded, error) == DecodeStatus::event);
    CHECK(decoded == event);
}

TEST_CASE("template encoding renders placeholders, formats and brace escapes") {
    TestOptions config;
    config.set("template", "SET {sensor} {temp:.1f} {seq:d} {temp:d} {on:d} {{{missing}}}\n");
    auto encoder = make("template", config);
    CHECK(encode(*encoder, sample()) == "SET t1 91.8 17 92 1 {}\n");
    Event event;
    event.set(intern("temp"), Value::integer(3));
    event.set(intern("sensor"), Value::string("x"));
    event.set(intern("seq"), Value::number(2.5));
    CHECK(encode(*encoder, event) == "SET x 3.0 3 3  {}\n"); // :d rounds half away from zero

    TestOptions fan;
    fan.set("template", "FAN {on}\r\n");
    Event on;
    on.set(intern("on"), Value::boolean(false));
    CHECK(encode(*make("template", fan), on) == "FAN false\r\n");
}

TEST_CASE("template encoding reports a bad template at its position") {
    for (const char* bad :
         {"{temp:x}", "{temp:.f}", "{temp:.99f}", "{}", "open {temp", "close }", "{a{b}"}) {
        INFO(bad);
        TestOptions config;
        config.set("template", bad);
        CHECK(make_encoder("template", config.options) == nullptr);
        REQUIRE(config.diagnostics.error_count() == 1);
        CHECK(config.diagnostics.all().front().position.line == 2);
    }
    TestOptions missing;
    CHECK(make_encoder("template", missing.options) == nullptr);
    CHECK(missing.diagnostics.has_errors());
}
