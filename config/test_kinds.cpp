#include "config/test_kinds.hpp"

#include "pipeline/pipeline_config.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/stages/builtin_stages.hpp"

#include <array>

namespace sluice::testing {
namespace {

using namespace std::string_view_literals;

constexpr std::array kParity = {"none"sv, "even"sv, "odd"sv};
constexpr std::array kFraming = {"lines"sv, "slip"sv};
constexpr std::array kDecode = {"json"sv, "csv"sv};
constexpr std::array kEncode = {"json"sv, "csv"sv, "template"sv};

const OptionSpec kStreamShared[] = {
    {"framing", OptionType::choice, "lines", "How bytes split into frames.", false, kFraming},
    {"decode", OptionType::choice, "json", "How a frame becomes an event.", false, kDecode},
    {"max_frame_bytes", OptionType::size, "64KiB", "Longest frame.", false, {}, 1},
};

const OptionSpec kEncodeShared[] = {
    {"encode", OptionType::choice, "json", "How an event becomes bytes.", false, kEncode},
    {"template", OptionType::string, "", "Text with {field} holes, for encode: template."},
};

const OptionSpec kSerial[] = {
    {"device", OptionType::string, "", "Device path.", true},
    {"baud", OptionType::integer, "9600", "Line speed.", false, {}, 1, 4'000'000},
    {"parity", OptionType::choice, "none", "Parity bit.", false, kParity},
};

const OptionSpec kGenerator[] = {
    {"rate", OptionType::rate, "10/s", "Events per second.", false, {}, 0.001, 1e6},
    {"count", OptionType::integer, "", "Stop after this many events.", false, {}, 0},
    {"fields", OptionType::string_map, "{}", "Fields of each event."},
};

const OptionSpec kTcpClient[] = {
    {"connect", OptionType::string, "", "host:port to connect to.", true},
    {"reconnect", OptionType::duration, "1s", "First retry delay.", false, {}, 0.001},
    {"keepalive", OptionType::boolean, "true", "TCP keepalive."},
};

const OptionSpec kSplit[] = {
    {"routes", OptionType::string_map, "", "Output name -> condition.", true},
};

const OptionSpec kScale[] = {
    {"field", OptionType::string, "", "Field to scale.", true},
    {"factor", OptionType::number, "1", "Multiplier.", false, {}, -1000, 1000},
    {"when", OptionType::expression, "", "Only scale events matching this."},
    {"window", OptionType::duration, "1s", "Averaging window.", false, {}, 0.001, 3600},
    {"drop", OptionType::string_list, "[]", "Fields to drop."},
};

const OptionSpec kFile[] = {
    {"path", OptionType::string, "", "File to append to.", true},
    {"append", OptionType::boolean, "true", "Append rather than truncate."},
    {"rotate_size", OptionType::size, "", "Rotate at this size.", false, {}, 1024},
};

class PassStage final : public Stage {
public:
    void process(std::span<Event> batch, Emitter& out, Nanos) override {
        for (auto& event : batch) {
            out.emit(std::move(event));
        }
    }
};

class SplitStage final : public Stage {
public:
    explicit SplitStage(std::vector<std::string> outputs) : outputs_(std::move(outputs)) {}
    void process(std::span<Event>, Emitter&, Nanos) override {}
    std::vector<std::string> output_names() const override { return outputs_; }

private:
    std::vector<std::string> outputs_;
};

std::unique_ptr<Stage> make_pass(const ComponentConfig&, Diagnostics&) {
    return std::make_unique<PassStage>();
}

std::unique_ptr<Stage> make_split(const ComponentConfig& config, Diagnostics&) {
    std::vector<std::string> outputs;
    if (const auto* routes = config.options.find("routes")) {
        outputs = routes->keys();
    }
    outputs.push_back("_unmatched");
    return std::make_unique<SplitStage>(std::move(outputs));
}

/// Stands in for a factory that compiles expressions: "bogus(" is its one syntax error.
std::unique_ptr<Stage> make_scale(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options options(config.options, diagnostics);
    if (options.string("when").find("bogus(") != std::string::npos) {
        diagnostics.error(options.position("when"), "unknown function 'bogus', expected one of: "
                                                    "abs, min, max");
        return nullptr;
    }
    return std::make_unique<PassStage>();
}

/// Stands in for a sink factory's check of one option against another.
bool check_encoding(const ComponentConfig& config, Diagnostics& diagnostics) {
    Options options(config.options, diagnostics);
    if (options.string("encode") == "template" && options.string("template").empty()) {
        diagnostics.error(options.position("encode"),
                          "encode: template needs a 'template' option, expected the text written "
                          "per event");
        return false;
    }
    return true;
}

const KindSpec kKinds[] = {
    {ComponentKind::source, "serial", "Reads a serial port.", kSerial, kStreamShared},
    {ComponentKind::source, "generator", "Makes events.", kGenerator},
    {ComponentKind::source, "tcp_client", "Connects to a TCP server.", kTcpClient, kStreamShared},
    {ComponentKind::stage, "pass", "Forwards every event.", {}, {}, make_pass},
    {ComponentKind::stage, "split", "Sends events to named outputs.", kSplit, {}, make_split},
    {ComponentKind::stage, "scale", "Multiplies a field.", kScale, {}, make_scale},
    {ComponentKind::sink,
     "stdout",
     "Writes to standard output.",
     {},
     kEncodeShared,
     nullptr,
     check_encoding},
    {ComponentKind::sink, "file", "Appends to a file.", kFile, kEncodeShared, nullptr,
     check_encoding},
    {ComponentKind::sink, "serial", "Writes to a serial port.", kSerial, kEncodeShared, nullptr,
     check_encoding},
    {ComponentKind::sink, "null", "Discards events.", {}},
};

} // namespace

const KindRegistry& test_registry() {
    static const KindRegistry registry = [] {
        KindRegistry r;
        r.add(kKinds);
        return r;
    }();
    return registry;
}

const KindRegistry& golden_registry() {
    static const KindRegistry registry = [] {
        KindRegistry r;
        r.add(kKinds);
        r.add(builtin_stage_kinds());
        return r;
    }();
    return registry;
}

} // namespace sluice::testing
