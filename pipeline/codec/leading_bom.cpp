#include "pipeline/codec/leading_bom.hpp"

#include "pipeline/text_chars.hpp"

namespace sluice {

std::string_view LeadingBom::strip(std::string_view& bytes) {
    if (decided_) {
        return {};
    }
    for (; !bytes.empty() && matched_ < kUtf8Bom.size(); ++matched_) {
        if (bytes.front() != kUtf8Bom[matched_]) {
            decided_ = true;
            return kUtf8Bom.substr(0, matched_);
        }
        bytes.remove_prefix(1);
    }
    decided_ = matched_ == kUtf8Bom.size();
    return {};
}

std::string_view LeadingBom::finish() {
    auto held = decided_ ? std::string_view{} : kUtf8Bom.substr(0, matched_);
    reset();
    return held;
}

} // namespace sluice
