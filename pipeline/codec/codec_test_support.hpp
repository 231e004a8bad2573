#pragma once
// Helpers for the codec tests: options built in code, and framers fed in every chunking.

#include "pipeline/codec/framer.hpp"
#include "pipeline/options.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

namespace sluice::testing {

/// A component's options as the config loader would hand them over.
struct TestOptions {
    ConfigNode node = ConfigNode::make_mapping({1, 1});
    Diagnostics diagnostics{"test.yaml"};
    Options options{node, diagnostics};

    TestOptions& set(std::string key, std::string value, bool quoted = false) {
        node.set(std::move(key), ConfigNode::make_scalar(std::move(value), {2, 3}, quoted));
        return *this;
    }
    TestOptions& list(std::string key, std::initializer_list<std::string> values) {
        auto sequence = ConfigNode::make_sequence({2, 3});
        for (const auto& value : values) {
            sequence.push_back(ConfigNode::make_scalar(value, {2, 4}));
        }
        node.set(std::move(key), std::move(sequence));
        return *this;
    }
};

/// Feeds `input` to `framer` in pieces of the given sizes (the last piece takes the rest),
/// then finishes; returns the frames. Checks after every feed that the framer held no more
/// than its limit.
inline std::vector<std::string> frame_in_chunks(Framer& framer, std::string_view input,
                                                const std::vector<std::size_t>& sizes,
                                                std::size_t* most_buffered = nullptr) {
    std::vector<std::string> frames;
    auto collect = [&](std::string_view frame) { frames.emplace_back(frame); };
    std::size_t at = 0;
    std::size_t most = 0;
    for (auto size : sizes) {
        if (at >= input.size()) {
            break;
        }
        auto piece = input.substr(at, size);
        framer.feed(piece, collect);
        most = std::max(most, framer.buffered());
        at += piece.size();
    }
    if (at < input.size()) {
        framer.feed(input.substr(at), collect);
        most = std::max(most, framer.buffered());
    }
    framer.finish(collect);
    if (most_buffered) {
        *most_buffered = most;
    }
    return frames;
}

inline std::vector<std::string> frame_whole(Framer& framer, std::string_view input) {
    return frame_in_chunks(framer, input, {input.size()});
}

inline std::vector<std::string> frame_bytewise(Framer& framer, std::string_view input) {
    return frame_in_chunks(framer, input, std::vector<std::size_t>(input.size(), 1));
}

/// Random piece sizes from 1 to `largest`, from a fixed seed.
inline std::vector<std::size_t> random_chunks(std::size_t total, std::size_t largest,
                                              std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> size(1, largest);
    std::vector<std::size_t> sizes;
    for (std::size_t sum = 0; sum < total;) {
        sizes.push_back(size(rng));
        sum += sizes.back();
    }
    return sizes;
}

/// Every way of cutting `input` in two, plus byte by byte and random chunkings, must give
/// `expected`.
template <typename MakeFramer>
void check_every_split(MakeFramer make, std::string_view input,
                       const std::vector<std::string>& expected) {
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        auto framer = make();
        INFO("cut at " << cut);
        CHECK(frame_in_chunks(*framer, input, {cut, input.size()}) == expected);
    }
    {
        auto framer = make();
        CHECK(frame_bytewise(*framer, input) == expected);
    }
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        auto framer = make();
        INFO("seed " << seed);
        CHECK(frame_in_chunks(*framer, input, random_chunks(input.size(), 17, seed)) == expected);
    }
}

/// Bytes from a fixed seed, for the hostile-input tests.
inline std::string random_bytes(std::mt19937& rng, std::size_t length) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::string out(length, '\0');
    for (auto& c : out) {
        c = static_cast<char>(byte(rng));
    }
    return out;
}

} // namespace sluice::testing
