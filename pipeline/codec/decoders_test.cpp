// The text, csv, kv and influx decoders, and every decoder on random bytes.
#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/codecs.hpp"

#include <catch2/catch.hpp>

using namespace sluice;
using namespace sluice::testing;
using namespace std::string_view_literals;

namespace {

struct Decoded {
    DecodeStatus status;
    Event event;
    std::string error;
    Value operator[](std::string_view name) const { return event.get(intern(name)); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (std::uint32_t i = 0; i < event.size(); ++i) {
            out.emplace_back(symbol_name(event.name_at(i)));
        }
        return out;
    }
};

Decoded run(Decoder& decoder, std::string_view frame) {
    Decoded d;
    d.status = decoder.decode(frame, d.event, d.error);
    return d;
}

std::unique_ptr<Decoder> make(std::string_view name, TestOptions& config) {
    auto decoder = make_decoder(name, config.options);
    REQUIRE(decoder);
    REQUIRE_FALSE(config.diagnostics.has_errors());
    return decoder;
}

std::unique_ptr<Decoder> make(std::string_view name) {
    TestOptions config;
    return make(name, config);
}

using Names = std::vector<std::string>;

} // namespace

TEST_CASE("text decoding puts the frame in message without a trailing CR") {
    auto decoder = make("text");
    auto d = run(*decoder, "hello, world\r");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"message"});
    CHECK(d["message"] == Value::string("hello, world"));
    CHECK(run(*decoder, "\r").status == DecodeStatus::skip);
    CHECK(run(*decoder, "\xff\x00raw"sv).status == DecodeStatus::event);
}

TEST_CASE("csv decoding takes column names from the header line") {
    auto decoder = make("csv");
    CHECK(run(*decoder, "sensor,temp,ok,note").status == DecodeStatus::skip);
    auto d = run(*decoder, "t1, 21.5 ,true,\"a, \"\"quoted\"\" note\"");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"sensor", "temp", "ok", "note"});
    CHECK(d["sensor"] == Value::string("t1"));
    CHECK(d["temp"].as_double() == 21.5);
    CHECK(d["ok"] == Value::boolean(true));
    CHECK(d["note"] == Value::string("a, \"quoted\" note"));
    auto typed = run(*decoder, "\"12\",,-7,007");
    REQUIRE(typed.status == DecodeStatus::event);
    CHECK(typed["sensor"] == Value::string("12"));
    CHECK(typed["temp"].is_null());
    CHECK(typed["ok"].as_int() == -7);
    CHECK(typed["note"] == Value::string("007"));
    auto short_row = run(*decoder, "t2");
    REQUIRE(short_row.status == DecodeStatus::event);
    CHECK(short_row.names() == Names{"sensor"});
    CHECK(run(*decoder, "a,b,c,d,e").status == DecodeStatus::error);
    decoder->reset();
    CHECK(run(*decoder, "x,y").status == DecodeStatus::skip);
    CHECK(run(*decoder, "1,2").names() == Names{"x", "y"});
}

TEST_CASE("csv from a file saved with a byte order mark names its first column plainly") {
    // Excel's "CSV UTF-8" starts the header line with a BOM; the lines framing drops it.
    TestOptions config;
    auto framer = make_framer("lines", config.options);
    auto decoder = make("csv");
    REQUIRE(framer);
    std::vector<Decoded> records;
    auto decode = [&](std::string_view frame) { records.push_back(run(*decoder, frame)); };
    framer->feed("\xEF\xBB\xBFname,value\r\na,1\r\n", decode);
    framer->finish(decode);
    REQUIRE(records.size() == 2);
    CHECK(records[0].status == DecodeStatus::skip);
    REQUIRE(records[1].status == DecodeStatus::event);
    CHECK(records[1].names() == Names{"name", "value"});
    CHECK(records[1]["name"] == Value::string("a"));
}

TEST_CASE("csv decoding uses configured columns, delimiter and header skipping") {
    TestOptions config;
    config.list("columns", {"time", "", "value"}).set("delimiter", ";").set("header", "true");
    auto decoder = make("csv", config);
    CHECK(run(*decoder, "t;ignored;v").status == DecodeStatus::skip);
    auto d = run(*decoder, "12:00;junk;1e3");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"time", "value"});
    CHECK(d["value"].as_double() == 1000.0);

    TestOptions no_header;
    no_header.list("columns", {"a", "b"});
    auto plain = make("csv", no_header);
    CHECK(run(*plain, "1,2").status == DecodeStatus::event);
}

TEST_CASE("csv decoding rejects broken quoting and a bad delimiter option") {
    TestOptions config;
    config.list("columns", {"a", "b"});
    auto decoder = make("csv", config);
    CHECK(run(*decoder, "\"open,1").status == DecodeStatus::error);
    CHECK(run(*decoder, "\"x\"y,1").status == DecodeStatus::error);
    CHECK(run(*decoder, "   ").status == DecodeStatus::skip);

    TestOptions bad;
    bad.set("delimiter", "::");
    CHECK(make_decoder("csv", bad.options) == nullptr);
    CHECK(bad.diagnostics.has_errors());
}

TEST_CASE("kv decoding reads logfmt pairs with quoting and types") {
    auto decoder = make("kv");
    auto d =
        run(*decoder, R"(k=v k2="v 2" k3=1.5 n=-4 on=true empty= quoted="" esc="a\"b\\c\nd" flag)");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"k", "k2", "k3", "n", "on", "empty", "quoted", "esc", "flag"});
    CHECK(d["k"] == Value::string("v"));
    CHECK(d["k2"] == Value::string("v 2"));
    CHECK(d["k3"].as_double() == 1.5);
    CHECK(d["n"].as_int() == -4);
    CHECK(d["on"] == Value::boolean(true));
    CHECK(d["empty"].is_null());
    CHECK(d["quoted"] == Value::string(""));
    CHECK(d["esc"] == Value::string("a\"b\\c\nd"));
    CHECK(d["flag"] == Value::boolean(true));
    CHECK(run(*decoder, " \t ").status == DecodeStatus::skip);
}

TEST_CASE("kv decoding rejects malformed pairs") {
    auto decoder = make("kv");
    for (const char* bad : {"=v", "a=\"open", "a=\"x\"y", "a=\"bad \\q escape\"", "a=1 =2"}) {
        INFO(bad);
        auto d = run(*decoder, bad);
        CHECK(d.status == DecodeStatus::error);
        CHECK_FALSE(d.error.empty());
    }
}

TEST_CASE("influx decoding reads measurement, tags, typed fields and timestamp") {
    auto decoder = make("influx");
    auto d = run(*decoder, R"(weather,site=north\ field,id=7 temp=21.5,n=3i,u=4u,ok=t,bad=FALSE,)"
                           R"(s="say \"hi\" \\ ok",big=1e3 1700000000000000000)");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() ==
          Names{"measurement", "site", "id", "temp", "n", "u", "ok", "bad", "s", "big"});
    CHECK(d["measurement"] == Value::string("weather"));
    CHECK(d["site"] == Value::string("north field"));
    CHECK(d["id"] == Value::string("7"));
    CHECK(d["temp"].as_double() == 21.5);
    CHECK(d["n"].as_int() == 3);
    CHECK(d["u"].as_int() == 4);
    CHECK(d["ok"] == Value::boolean(true));
    CHECK(d["bad"] == Value::boolean(false));
    CHECK(d["s"] == Value::string("say \"hi\" \\ ok"));
    CHECK(d["big"].as_double() == 1000.0);
    CHECK(d.event.ts() == 1700000000000000000);
}

TEST_CASE("influx decoding unescapes names and keeps ts without a timestamp") {
    auto decoder = make("influx");
    Decoded d;
    d.event.set_ts(42);
    d.status = decoder->decode(R"(my\,meas\ ure,t\=k=v\,1 f\ 1=1 )", d.event, d.error);
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d["measurement"] == Value::string("my,meas ure"));
    CHECK(d["t=k"] == Value::string("v,1"));
    CHECK(d["f 1"].as_double() == 1.0);
    CHECK(d.event.ts() == 42);
    CHECK(run(*decoder, "# a comment").status == DecodeStatus::skip);
    CHECK(run(*decoder, "").status == DecodeStatus::skip);
}

TEST_CASE("influx decoding rejects malformed lines") {
    auto decoder = make("influx");
    const char* bad[] = {
        "weather",
        "weather temp",
        "weather temp=",
        "weather temp=abc",
        "weather,site temp=1",
        "weather,site= temp=1",
        "weather temp=1 12x",
        "weather temp=\"open",
        "weather temp=99999999999999999999i",
        "weather u=-1u",
        "weather u=18446744073709551615u",
        ",t=1 f=1",
        "weather temp=1,",
        "weather =1",
    };
    for (const char* line : bad) {
        INFO(line);
        auto d = run(*decoder, line);
        CHECK(d.status == DecodeStatus::error);
        CHECK_FALSE(d.error.empty());
    }
}

TEST_CASE("every decoder survives 10,000 random frames") {
    std::mt19937 rng(2024);
    std::uniform_int_distribution<std::size_t> length(0, 120);
    const char* alphabet[] = {"{\"a\":[1,", "$GPGGA,", "*", ",", "=", "\"", "\\", " ", "\r"};
    for (auto name : {"json", "csv", "kv", "influx", "nmea", "text"}) {
        INFO(name);
        auto decoder = make(name);
        std::size_t events = 0;
        for (int i = 0; i < 10'000; ++i) {
            auto frame = random_bytes(rng, length(rng));
            // Half the frames splice in syntax so the parsers get past their first checks.
            if (i % 2 == 0) {
                frame.insert(0, alphabet[rng() % std::size(alphabet)]);
                frame.insert(frame.size() / 2, alphabet[rng() % std::size(alphabet)]);
            }
            Event event;
            std::string error;
            auto status = decoder->decode(frame, event, error);
            CHECK((status != DecodeStatus::error || !error.empty()));
            events += status == DecodeStatus::event ? 1 : 0;
        }
        CHECK(events <= 10'000);
    }
}
