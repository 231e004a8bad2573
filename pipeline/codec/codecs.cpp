// The registry: one explicit list per codec family, by the names the YAML uses.
#include "pipeline/codec/codecs.hpp"

#include "pipeline/codec/cobs_framer.hpp"
#include "pipeline/codec/csv_decoder.hpp"
#include "pipeline/codec/csv_encoder.hpp"
#include "pipeline/codec/datagram_framer.hpp"
#include "pipeline/codec/influx_decoder.hpp"
#include "pipeline/codec/influx_encoder.hpp"
#include "pipeline/codec/json_decoder.hpp"
#include "pipeline/codec/json_encoder.hpp"
#include "pipeline/codec/kv_decoder.hpp"
#include "pipeline/codec/kv_encoder.hpp"
#include "pipeline/codec/length_prefixed_framer.hpp"
#include "pipeline/codec/lines_framer.hpp"
#include "pipeline/codec/nmea_decoder.hpp"
#include "pipeline/codec/slip_framer.hpp"
#include "pipeline/codec/template_encoder.hpp"
#include "pipeline/codec/text_decoder.hpp"
#include "pipeline/codec/timestamp_decoder.hpp"

#include <algorithm>

namespace sluice {
namespace {

constexpr std::uint64_t kDefaultMaxFrameBytes = 64 * 1024;

using FramerFactory = std::unique_ptr<Framer> (*)(std::size_t max_frame_bytes, const Options&);
using DecoderFactory = std::unique_ptr<Decoder> (*)(const Options&);
using EncoderFactory = std::unique_ptr<Encoder> (*)(const Options&);

template <typename Factory>
struct Entry {
    std::string_view name;
    Factory make;
};

template <typename T>
std::unique_ptr<Framer> plain_framer(std::size_t max_frame_bytes, const Options&) {
    return std::make_unique<T>(max_frame_bytes);
}

template <typename T, typename Base>
std::unique_ptr<Base> plain(const Options&) {
    return std::make_unique<T>();
}

std::unique_ptr<Framer> length_prefixed_framer(std::size_t max_frame_bytes,
                                               const Options& options) {
    auto width = options.integer("length_bytes", 4);
    bool ok = true;
    if (width != 1 && width != 2 && width != 4) {
        options.diagnostics().error(options.position("length_bytes"),
                                    "length_bytes must be 1, 2 or 4");
        ok = false;
    }
    auto order = options.string("byte_order", "big");
    if (order != "big" && order != "little") {
        options.diagnostics().error(options.position("byte_order"),
                                    "byte_order must be big or little");
        ok = false;
    }
    if (!ok) {
        return nullptr;
    }
    return std::make_unique<LengthPrefixedFramer>(max_frame_bytes, static_cast<unsigned>(width),
                                                  order == "big");
}

constexpr Entry<FramerFactory> kFramers[] = {
    {"lines", plain_framer<LinesFramer>},       {"length_prefixed", length_prefixed_framer},
    {"slip", plain_framer<SlipFramer>},         {"cobs", plain_framer<CobsFramer>},
    {"datagram", plain_framer<DatagramFramer>},
};

constexpr Entry<DecoderFactory> kDecoders[] = {
    {"json", plain<JsonDecoder, Decoder>}, {"csv", make_csv_decoder},
    {"kv", plain<KvDecoder, Decoder>},     {"influx", plain<InfluxDecoder, Decoder>},
    {"nmea", plain<NmeaDecoder, Decoder>}, {"text", plain<TextDecoder, Decoder>},
};

constexpr Entry<EncoderFactory> kEncoders[] = {
    {"json", plain<JsonEncoder, Encoder>}, {"csv", make_csv_encoder},
    {"kv", plain<KvEncoder, Encoder>},     {"influx", make_influx_encoder},
    {"template", make_template_encoder},
};

template <typename Factory, std::size_t N>
Factory find(const Entry<Factory> (&entries)[N], std::string_view name, std::string_view what,
             std::string_view key, const Options& options) {
    for (const auto& entry : entries) {
        if (entry.name == name) {
            return entry.make;
        }
    }
    std::string message =
        "unknown " + std::string(what) + " '" + std::string(name) + "', expected one of: ";
    for (std::size_t i = 0; i < N; ++i) {
        message += (i ? ", " : "") + std::string(entries[i].name);
    }
    options.diagnostics().error(options.position(key), std::move(message));
    return nullptr;
}

} // namespace

std::unique_ptr<Framer> make_framer(std::string_view name, const Options& options) {
    auto make = find(kFramers, name, "framing", "framing", options);
    auto max = options.size("max_frame_bytes", kDefaultMaxFrameBytes);
    if (max == 0) {
        options.diagnostics().error(options.position("max_frame_bytes"),
                                    "max_frame_bytes must be at least 1");
    }
    if (!make) {
        return nullptr;
    }
    // Built even with a bad max_frame_bytes, so that the framing's own options are checked too.
    auto framer = make(static_cast<std::size_t>(std::max<std::uint64_t>(max, 1)), options);
    return max == 0 ? nullptr : std::move(framer);
}

std::unique_ptr<Decoder> make_decoder(std::string_view name, const Options& options) {
    auto make = find(kDecoders, name, "decoder", "decode", options);
    if (!make) {
        return nullptr;
    }
    auto decoder = make(options);
    auto field = options.string("timestamp_field");
    if (decoder && !field.empty()) {
        decoder = std::make_unique<TimestampDecoder>(std::move(decoder), intern(field));
    }
    return decoder;
}

std::unique_ptr<Encoder> make_encoder(std::string_view name, const Options& options) {
    auto make = find(kEncoders, name, "encoder", "encode", options);
    return make ? make(options) : nullptr;
}

} // namespace sluice
