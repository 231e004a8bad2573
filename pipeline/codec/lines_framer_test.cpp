#include "pipeline/codec/codec_test_support.hpp"
#include "pipeline/codec/lines_framer.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace sluice;
using namespace sluice::testing;

namespace {

auto lines(std::size_t max = 64 * 1024) {
    return [max] { return std::make_unique<LinesFramer>(max); };
}

using Frames = std::vector<std::string>;

} // namespace

TEST_CASE("lines framing splits on LF and CRLF at every chunk boundary") {
    check_every_split(lines(), "alpha\nbeta\r\ngamma\n\r\n\ndelta\r\nend",
                      Frames{"alpha", "beta", "gamma", "delta", "end"});
}

TEST_CASE("lines framing delivers a final unterminated line on finish") {
    LinesFramer framer(100);
    CHECK(frame_whole(framer, "one\ntwo") == Frames{"one", "two"});
    CHECK(frame_whole(framer, "three\r") == Frames{"three"});
}

TEST_CASE("lines framing drops an over-long line and keeps the lines around it") {
    auto input = std::string("ok1\n") + std::string(20, 'x') + "\nok2\n" + std::string(11, 'y') +
                 "\n" + std::string(10, 'z') + "\nlast";
    check_every_split(lines(10), input, Frames{"ok1", "ok2", std::string(10, 'z'), "last"});
    LinesFramer framer(10);
    frame_bytewise(framer, input);
    CHECK(framer.oversize() == 2);
}

TEST_CASE("lines framing counts a CR against the limit") {
    LinesFramer framer(3);
    CHECK(frame_whole(framer, "abc\r\nab\r\n") == Frames{"ab"});
    CHECK(framer.oversize() == 1);
}

TEST_CASE("lines framing never buffers more than the limit on a 10 MB line without newline") {
    constexpr std::size_t kLimit = 64 * 1024;
    LinesFramer framer(kLimit);
    std::string chunk(64 * 1024 + 7, 'x');
    Frames frames;
    auto collect = [&](std::string_view frame) { frames.emplace_back(frame); };
    std::size_t most = 0;
    for (std::size_t sent = 0; sent < 10'000'000; sent += chunk.size()) {
        framer.feed(chunk, collect);
        most = std::max(most, framer.buffered());
    }
    framer.feed("tail of the long line\n{\"next\":1}\n", collect);
    framer.finish(collect);
    CHECK(most <= kLimit);
    CHECK(frames == Frames{"{\"next\":1}"});
    CHECK(framer.oversize() == 1);
}

TEST_CASE("lines framing drops an unterminated over-long line at finish") {
    LinesFramer framer(4);
    CHECK(frame_bytewise(framer, "ab\nabcdefgh").size() == 1);
    CHECK(framer.oversize() == 1);
}

TEST_CASE("lines framing reset forgets a partial line") {
    LinesFramer framer(100);
    Frames frames;
    auto collect = [&](std::string_view frame) { frames.emplace_back(frame); };
    framer.feed("partial", collect);
    framer.reset();
    framer.feed("fresh\n", collect);
    CHECK(frames == Frames{"fresh"});
    CHECK(framer.buffered() == 0);
}

TEST_CASE("lines framing drops a byte order mark at the start of the stream only") {
    check_every_split(lines(), "\xEF\xBB\xBF{\"a\":1}\r\n\xEF\xBB\xBFsecond\n",
                      Frames{"{\"a\":1}", "\xEF\xBB\xBFsecond"});
    check_every_split(lines(), "\xEF\xBB\xBF\nnext", Frames{"next"});
    check_every_split(lines(), "\xEF\xBB\xBF", Frames{});
}

TEST_CASE("lines framing keeps bytes that only begin like a byte order mark") {
    check_every_split(lines(), "\xEF\xBBx\ny\n", Frames{"\xEF\xBBx", "y"});
    check_every_split(lines(), "\xEF\xBB", Frames{"\xEF\xBB"});
    check_every_split(lines(), "\xEF", Frames{"\xEF"});
    check_every_split(lines(), "\xEF\xEF\xBB\xBF\n", Frames{"\xEF\xEF\xBB\xBF"});
}

TEST_CASE("lines framing drops a byte order mark again when a new stream starts") {
    LinesFramer framer(100);
    Frames frames;
    auto collect = [&](std::string_view frame) { frames.emplace_back(frame); };
    framer.feed("\xEF\xBB\xBF"
                "a\n\xEF\xBB",
                collect);
    framer.reset();
    framer.feed("\xEF\xBB\xBF"
                "b",
                collect);
    framer.finish(collect);
    framer.feed("\xEF", collect);
    framer.feed("\xBB\xBF"
                "c\n",
                collect);
    CHECK(frames == Frames{"a", "b", "c"});
}
