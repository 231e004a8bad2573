#include "pipeline/codec/timestamp_decoder.hpp"

#include "pipeline/codec/timestamp.hpp"

namespace sluice {

DecodeStatus TimestampDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    auto status = inner_->decode(frame, out, error);
    if (status != DecodeStatus::event) {
        return status;
    }
    auto value = out.get(field_);
    if (value.is_null()) {
        return status;
    }
    auto ts = timestamp_from_value(value);
    if (!ts) {
        error.assign("field '");
        error.append(symbol_name(field_));
        error.append("' holds no timestamp");
        return DecodeStatus::error;
    }
    out.set_ts(*ts);
    return status;
}

} // namespace sluice
