#pragma once
// The codec registry: framings, decoders and encoders by the names the YAML uses.

#include "pipeline/codec/decoder.hpp"
#include "pipeline/codec/encoder.hpp"
#include "pipeline/codec/framer.hpp"
#include "pipeline/options.hpp"

#include <memory>
#include <span>
#include <string_view>

namespace sluice {

/// Options shared by every source for its framing and decoding (framing, decode,
/// max_frame_bytes, csv columns, length_prefixed width...), and by every sink for its encoding.
std::span<const OptionSpec> framing_decode_options();
std::span<const OptionSpec> encode_options();

/// Builds the framer named by `name` ("lines", "length_prefixed", "slip", "cobs", "datagram").
/// Reads its options (max_frame_bytes, prefix width...) from `options`. Reports an unknown name
/// or a bad option through options.diagnostics() and returns nullptr.
std::unique_ptr<Framer> make_framer(std::string_view name, const Options& options);
/// Builds the decoder named by `name` ("json", "csv", "kv", "influx", "nmea", "text").
std::unique_ptr<Decoder> make_decoder(std::string_view name, const Options& options);
/// Builds the encoder named by `name` ("json", "csv", "kv", "influx", "template").
std::unique_ptr<Encoder> make_encoder(std::string_view name, const Options& options);

} // namespace sluice
