#include "pipeline/codec/text_decoder.hpp"

namespace sluice {

DecodeStatus TextDecoder::decode(std::string_view frame, Event& out, std::string&) {
    if (!frame.empty() && frame.back() == '\r') {
        frame.remove_suffix(1);
    }
    if (frame.empty()) {
        return DecodeStatus::skip;
    }
    out.set(message_, Value::string(frame));
    return DecodeStatus::event;
}

} // namespace sluice
