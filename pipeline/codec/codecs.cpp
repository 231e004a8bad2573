// Placeholder until the codecs land.
#include "pipeline/codec/codecs.hpp"

namespace sluice {

std::span<const OptionSpec> framing_decode_options() {
    return {};
}
std::span<const OptionSpec> encode_options() {
    return {};
}

std::unique_ptr<Framer> make_framer(std::string_view, const Options& options) {
    options.diagnostics().error({}, "framing is not supported yet");
    return nullptr;
}
std::unique_ptr<Decoder> make_decoder(std::string_view, const Options& options) {
    options.diagnostics().error({}, "decoding is not supported yet");
    return nullptr;
}
std::unique_ptr<Encoder> make_encoder(std::string_view, const Options& options) {
    options.diagnostics().error({}, "encoding is not supported yet");
    return nullptr;
}

} // namespace sluice
