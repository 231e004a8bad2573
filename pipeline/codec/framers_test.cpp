// Length-prefixed, SLIP, COBS and datagram framing.
#include "pipeline/codec/cobs_framer.hpp"
#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/datagram_framer.hpp"
#include "pipeline/codec/length_prefixed_framer.hpp"
#include "pipeline/codec/slip_framer.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace sluice;
using namespace sluice::testing;

namespace {

using Frames = std::vector<std::string>;

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) {
        out.push_back(static_cast<char>(v));
    }
    return out;
}

std::string prefixed(std::string_view body, unsigned width, bool big) {
    std::string out;
    auto length = static_cast<std::uint32_t>(body.size());
    for (unsigned i = 0; i < width; ++i) {
        unsigned shift = 8 * (big ? width - 1 - i : i);
        out.push_back(static_cast<char>((length >> shift) & 0xFF));
    }
    return out.append(body);
}

// Reference encoders written from the RFC / the COBS paper, independent of the framers.
std::string slip_encode(std::string_view payload) {
    std::string out;
    for (char c : payload) {
        auto b = static_cast<unsigned char>(c);
        if (b == 0xC0) {
            out += bytes({0xDB, 0xDC});
        } else if (b == 0xDB) {
            out += bytes({0xDB, 0xDD});
        } else {
            out.push_back(c);
        }
    }
    out.push_back(static_cast<char>(0xC0));
    return out;
}

std::string cobs_encode(std::string_view payload) {
    std::string out(1, '\0');
    std::size_t code_at = 0;
    unsigned code = 1;
    auto close_block = [&] {
        out[code_at] = static_cast<char>(code);
        code_at = out.size();
        out.push_back('\0');
        code = 1;
    };
    for (std::size_t i = 0; i < payload.size(); ++i) {
        if (payload[i] == '\0') {
            close_block();
            continue;
        }
        out.push_back(payload[i]);
        // A full block needs no implied zero; a new block starts only if data follows.
        if (++code == 0xFF && i + 1 < payload.size()) {
            close_block();
        }
    }
    out[code_at] = static_cast<char>(code);
    out.push_back('\0');
    return out;
}

Frames random_payloads(std::uint32_t seed, int count, std::size_t longest) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> length(1, longest);
    Frames out;
    for (int i = 0; i < count; ++i) {
        auto payload = random_bytes(rng, length(rng));
        // Make the special bytes common.
        for (auto& c : payload) {
            if (static_cast<unsigned char>(c) % 5 == 0) {
                c = static_cast<char>("\x00\xC0\xDB\xDC\xDD"[rng() % 5]);
            }
        }
        out.push_back(payload);
    }
    return out;
}

} // namespace

TEST_CASE("length-prefixed framing reads every width and byte order at every boundary") {
    for (unsigned width : {1u, 2u, 4u}) {
        for (bool big : {true, false}) {
            INFO("width " << width << (big ? " big" : " little"));
            std::string input = prefixed("first", width, big) + prefixed("", width, big) +
                                prefixed(std::string(200, 'x'), width, big) +
                                prefixed("last", width, big);
            check_every_split(
                [=] { return std::make_unique<LengthPrefixedFramer>(1000, width, big); }, input,
                Frames{"first", std::string(200, 'x'), "last"});
        }
    }
}

TEST_CASE("length-prefixed framing reads the prefix in the configured byte order") {
    LengthPrefixedFramer big(1000, 2, true);
    CHECK(frame_whole(big, bytes({0x00, 0x03}) + "abc") == Frames{"abc"});
    LengthPrefixedFramer little(1000, 2, false);
    CHECK(frame_whole(little, bytes({0x03, 0x00}) + "abc") == Frames{"abc"});
}

TEST_CASE("length-prefixed framing skips an oversize frame without buffering it") {
    LengthPrefixedFramer framer(100, 4, true);
    std::string big_body(1'000'000, 'z');
    std::string input =
        prefixed("a", 4, true) + prefixed(big_body, 4, true) + prefixed("b", 4, true);
    std::size_t most = 0;
    auto frames = frame_in_chunks(framer, input, random_chunks(input.size(), 4096, 7), &most);
    CHECK(frames == Frames{"a", "b"});
    CHECK(most <= 100);
    CHECK(framer.oversize() == 1);
    CHECK(framer.malformed() == 0);
}

TEST_CASE("length-prefixed framing counts a frame truncated at the end of the stream") {
    LengthPrefixedFramer framer(100, 2, true);
    CHECK(frame_whole(framer, prefixed("whole", 2, true) + bytes({0x00, 0x09}) + "part") ==
          Frames{"whole"});
    CHECK(framer.malformed() == 1);
    CHECK(frame_whole(framer, bytes({0x00})).empty());
    CHECK(framer.malformed() == 2);
    CHECK(frame_whole(framer, prefixed("again", 2, true)) == Frames{"again"});
}

TEST_CASE("slip framing decodes escapes and ignores empty frames at every boundary") {
    auto input = bytes({0xC0}) + "plain" + bytes({0xC0, 0xC0}) + "a" + bytes({0xDB, 0xDC}) + "b" +
                 bytes({0xDB, 0xDD}) + "c" + bytes({0xC0}) + "tail" + bytes({0xC0});
    check_every_split([] { return std::make_unique<SlipFramer>(100); }, input,
                      Frames{"plain", "a" + bytes({0xC0}) + "b" + bytes({0xDB}) + "c", "tail"});
}

TEST_CASE("slip framing round-trips payloads encoded by the reference encoder") {
    auto payloads = random_payloads(11, 200, 300);
    std::string input;
    for (const auto& p : payloads) {
        input += slip_encode(p);
    }
    SlipFramer framer(300);
    CHECK(frame_in_chunks(framer, input, random_chunks(input.size(), 64, 3)) == payloads);
    SlipFramer bytewise(300);
    CHECK(frame_bytewise(bytewise, input) == payloads);
}

TEST_CASE("slip framing counts a bad escape and a truncated frame as malformed") {
    SlipFramer framer(100);
    auto input = "ok1" + bytes({0xC0}) + "x" + bytes({0xDB, 0x41}) + "y" + bytes({0xC0}) + "ok2" +
                 bytes({0xC0}) + "z" + bytes({0xDB, 0xC0}) + "partial";
    CHECK(frame_whole(framer, input) == Frames{"ok1", "ok2"});
    CHECK(framer.malformed() == 3);
}

TEST_CASE("slip framing drops an oversize frame and keeps the next") {
    auto input = std::string(11, 'x') + bytes({0xC0}) + std::string(10, 'y') + bytes({0xC0}) + "a" +
                 bytes({0xDB, 0xDC}) + std::string(10, 'q') + bytes({0xC0});
    check_every_split([] { return std::make_unique<SlipFramer>(10); }, input,
                      Frames{std::string(10, 'y')});
    SlipFramer framer(10);
    std::size_t most = 0;
    frame_in_chunks(framer, input, {3, 5, 7}, &most);
    CHECK(framer.oversize() == 2);
    CHECK(most <= 10);
}

TEST_CASE("cobs framing decodes the reference encodings from the COBS paper") {
    std::string run254;
    for (int i = 1; i <= 254; ++i) {
        run254.push_back(static_cast<char>(i));
    }
    std::string run255 = run254 + bytes({0xFF});
    struct Case {
        std::string payload;
        std::string encoded;
    };
    const Case cases[] = {
        {bytes({0x00}), bytes({0x01, 0x01, 0x00})},
        {bytes({0x00, 0x00}), bytes({0x01, 0x01, 0x01, 0x00})},
        {bytes({0x00, 0x11, 0x00}), bytes({0x01, 0x02, 0x11, 0x01, 0x00})},
        {bytes({0x11, 0x22, 0x00, 0x33}), bytes({0x03, 0x11, 0x22, 0x02, 0x33, 0x00})},
        {bytes({0x11, 0x22, 0x33, 0x44}), bytes({0x05, 0x11, 0x22, 0x33, 0x44, 0x00})},
        {bytes({0x11, 0x00, 0x00, 0x00}), bytes({0x02, 0x11, 0x01, 0x01, 0x01, 0x00})},
        {run254, bytes({0xFF}) + run254 + bytes({0x00})},
        {bytes({0x00}) + run254, bytes({0x01, 0xFF}) + run254 + bytes({0x00})},
        {run255, bytes({0xFF}) + run254 + bytes({0x02, 0xFF, 0x00})},
    };
    for (const auto& c : cases) {
        CHECK(cobs_encode(c.payload) == c.encoded);
        check_every_split([] { return std::make_unique<CobsFramer>(1000); }, c.encoded,
                          Frames{c.payload});
    }
}

TEST_CASE("cobs framing round-trips payloads and ignores empty frames") {
    auto payloads = random_payloads(12, 200, 600);
    std::string input = bytes({0x00, 0x01, 0x00});
    for (const auto& p : payloads) {
        input += cobs_encode(p) + bytes({0x00});
    }
    CobsFramer framer(600);
    CHECK(frame_in_chunks(framer, input, random_chunks(input.size(), 64, 5)) == payloads);
    CHECK(framer.malformed() == 0);
}

TEST_CASE("cobs framing counts a block cut short and drops an oversize frame") {
    CobsFramer framer(4);
    auto input = bytes({0x05, 0x11, 0x22, 0x00}) + bytes({0x03, 0x11, 0x22, 0x00}) +
                 bytes({0x06, 1, 2, 3, 4, 5, 0x00}) + bytes({0x02, 0x41, 0x01, 0x00}) +
                 bytes({0x04, 0x41});
    std::size_t most = 0;
    auto frames = frame_in_chunks(framer, input, {1, 2, 3}, &most);
    CHECK(frames == Frames{bytes({0x11, 0x22}), bytes({0x41, 0x00})});
    CHECK(framer.malformed() == 2);
    CHECK(framer.oversize() == 1);
    CHECK(most <= 4);
}

TEST_CASE("datagram framing makes each read one frame") {
    DatagramFramer framer(5);
    Frames frames;
    auto collect = [&](std::string_view f) { frames.emplace_back(f); };
    framer.feed("one", collect);
    framer.feed("", collect);
    framer.feed("toolong", collect);
    framer.feed("a\nb", collect);
    framer.finish(collect);
    CHECK(frames == Frames{"one", "a\nb"});
    CHECK(framer.oversize() == 1);
    CHECK(framer.buffered() == 0);
}

TEST_CASE("every framer survives random bytes within its limit") {
    std::mt19937 rng(77);
    std::vector<std::unique_ptr<Framer>> framers;
    framers.push_back(std::make_unique<CobsFramer>(64));
    framers.push_back(std::make_unique<SlipFramer>(64));
    framers.push_back(std::make_unique<LengthPrefixedFramer>(64, 2, true));
    framers.push_back(std::make_unique<LengthPrefixedFramer>(64, 1, false));
    framers.push_back(std::make_unique<DatagramFramer>(64));
    for (auto& framer : framers) {
        std::size_t delivered = 0;
        auto count = [&](std::string_view f) {
            CHECK(f.size() <= 64);
            CHECK_FALSE(f.empty());
            ++delivered;
        };
        for (int i = 0; i < 2000; ++i) {
            framer->feed(random_bytes(rng, rng() % 100), count);
            CHECK(framer->buffered() <= 64);
        }
        framer->finish(count);
        CHECK(framer->buffered() == 0);
    }
}
