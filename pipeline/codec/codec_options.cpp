// The options every source accepts for framing and decoding, and every sink for encoding.
#include "pipeline/codec/codecs.hpp"
#include "pipeline/codec/csv_decoder.hpp"
#include "pipeline/codec/template_encoder.hpp"

namespace sluice {
namespace {

constexpr std::string_view kFramings[] = {"lines", "length_prefixed", "slip", "cobs", "datagram"};
constexpr std::string_view kDecoders[] = {"json", "csv", "kv", "influx", "nmea", "text"};
constexpr std::string_view kEncoders[] = {"json", "csv", "kv", "influx", "template"};
constexpr std::string_view kLengthBytes[] = {"1", "2", "4"};
constexpr std::string_view kByteOrders[] = {"big", "little"};

constexpr OptionSpec kSourceOptions[] = {
    {.key = "framing",
     .type = OptionType::choice,
     .default_value = "",
     .doc = "How the byte stream splits into frames; unset: lines on byte streams, datagram on "
            "udp and zmq.",
     .choices = kFramings},
    {.key = "decode",
     .type = OptionType::choice,
     .default_value = "json",
     .doc = "How a frame becomes an event.",
     .choices = kDecoders},
    {.key = "max_frame_bytes",
     .type = OptionType::size,
     .default_value = "64KiB",
     .doc = "Longest frame kept; longer ones are dropped and counted.",
     .min = 1,
     .max = 1024.0 * 1024 * 1024},
    {.key = "timestamp_field",
     .type = OptionType::string,
     .default_value = "",
     .doc = "Field holding the event time (epoch s/ms/us/ns by magnitude, or RFC 3339 text); "
            "unset: the time of receipt."},
    {.key = "columns",
     .type = OptionType::string_list,
     .default_value = "",
     .doc = "decode: csv: the column names; unset: the first line is the header."},
    {.key = "delimiter",
     .type = OptionType::string,
     .default_value = ",",
     .doc = "decode: csv: the one-byte field separator.",
     .check = check_delimiter},
    {.key = "header",
     .type = OptionType::boolean,
     .default_value = "false",
     .doc = "decode: csv with columns: the first line is a header to skip."},
    {.key = "length_bytes",
     .type = OptionType::choice,
     .default_value = "4",
     .doc = "framing: length_prefixed: width of the length prefix.",
     .choices = kLengthBytes},
    {.key = "byte_order",
     .type = OptionType::choice,
     .default_value = "big",
     .doc = "framing: length_prefixed: byte order of the length prefix.",
     .choices = kByteOrders},
};

constexpr OptionSpec kSinkOptions[] = {
    {.key = "encode",
     .type = OptionType::choice,
     .default_value = "json",
     .doc = "How an event becomes bytes.",
     .choices = kEncoders},
    {.key = "template",
     .type = OptionType::string,
     .default_value = "",
     .doc = "encode: template: the text written per event, with {field}, {field:.Nf}, "
            "{field:d} placeholders and {{ }} for literal braces.",
     .check = check_template},
    {.key = "columns",
     .type = OptionType::string_list,
     .default_value = "",
     .doc = "encode: csv: the fields written, in order; unset: every field in event order."},
    {.key = "delimiter",
     .type = OptionType::string,
     .default_value = ",",
     .doc = "encode: csv: the one-byte field separator.",
     .check = check_delimiter},
    {.key = "header",
     .type = OptionType::boolean,
     .default_value = "false",
     .doc = "encode: csv: write the columns as a header line at the start of each stream "
            "(needs columns)."},
    {.key = "measurement",
     .type = OptionType::string,
     .default_value = "",
     .doc = "encode: influx: a fixed measurement name; unset: the value of measurement_field."},
    {.key = "measurement_field",
     .type = OptionType::string,
     .default_value = "measurement",
     .doc = "encode: influx: the field naming each event's measurement when measurement is "
            "unset; not written as a field."},
    {.key = "tags",
     .type = OptionType::string_list,
     .default_value = "",
     .doc = "encode: influx: fields written as tags; every other field is written as a field."},
};

} // namespace

std::span<const OptionSpec> framing_decode_options() {
    return kSourceOptions;
}

std::span<const OptionSpec> encode_options() {
    return kSinkOptions;
}

} // namespace sluice
