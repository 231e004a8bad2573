#include "pipeline/codec/length_prefixed_framer.hpp"

#include <algorithm>

namespace sluice {

const char* LengthPrefixedFramer::read_prefix(const char* p, const char* end) {
    while (p < end && prefix_have_ < length_bytes_) {
        prefix_[prefix_have_++] = static_cast<unsigned char>(*p++);
    }
    if (prefix_have_ < length_bytes_) {
        return p;
    }
    std::uint32_t length = 0;
    for (unsigned i = 0; i < length_bytes_; ++i) {
        unsigned byte = prefix_[big_endian_ ? i : length_bytes_ - 1 - i];
        length = length << 8 | byte;
    }
    prefix_have_ = 0;
    length_ = length;
    if (length == 0) {
        state_ = State::prefix;
    } else if (length > max_frame_bytes_) {
        ++oversize_;
        state_ = State::skip;
    } else {
        state_ = State::body;
    }
    return p;
}

void LengthPrefixedFramer::feed(std::string_view bytes, FrameCallback on_frame) {
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
        auto available = static_cast<std::size_t>(end - p);
        switch (state_) {
        case State::prefix:
            p = read_prefix(p, end);
            break;
        case State::skip: {
            auto n = std::min(length_, available);
            p += n;
            length_ -= n;
            if (length_ == 0) {
                state_ = State::prefix;
            }
            break;
        }
        case State::body:
            if (body_.empty() && available >= length_) {
                // The whole frame is in this read: hand out a view of it.
                on_frame({p, length_});
                p += length_;
                state_ = State::prefix;
                break;
            }
            auto n = std::min(length_ - body_.size(), available);
            body_.append(p, n);
            p += n;
            if (body_.size() == length_) {
                on_frame(body_);
                body_.clear();
                state_ = State::prefix;
            }
            break;
        }
    }
}

void LengthPrefixedFramer::finish(FrameCallback) {
    // A frame cut short by the end of the stream is broken; an oversize one is counted already.
    if (state_ == State::body || (state_ == State::prefix && prefix_have_ > 0)) {
        ++malformed_;
    }
    reset();
}

void LengthPrefixedFramer::reset() {
    state_ = State::prefix;
    prefix_have_ = 0;
    length_ = 0;
    body_.clear();
}

} // namespace sluice
