#pragma once
// Events as key=value lines (logfmt).

#include "pipeline/codec/encoder.hpp"

namespace sluice {

/// Writes `k=v k2="v 2"` and a newline: fields in event order, null as `k=`, strings quoted
/// (with \" \\ \n \r \t escapes) when they hold spaces, '=', quotes, backslashes or control
/// characters, or would read back as another type. Names are written as they are.
class KvEncoder final : public Encoder {
public:
    void encode(const Event& event, std::string& out) override;
};

} // namespace sluice
