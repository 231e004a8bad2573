#include "pipeline/codec/slip_framer.hpp"

namespace sluice {

const char* SlipFramer::take_whole(const char* p, const char* end, FrameCallback& on_frame) {
    const char* q = p;
    while (q < end && static_cast<unsigned char>(*q) != kEnd &&
           static_cast<unsigned char>(*q) != kEsc) {
        ++q;
    }
    if (q == end || static_cast<unsigned char>(*q) != kEnd) {
        return p;
    }
    auto length = static_cast<std::size_t>(q - p);
    if (length > max_frame_bytes_) {
        ++oversize_;
    } else if (length > 0) {
        on_frame({p, length});
    }
    return q + 1;
}

void SlipFramer::add(char byte) {
    if (buffer_.size() >= max_frame_bytes_) {
        ++oversize_;
        discarding_ = true;
        buffer_.clear();
        return;
    }
    buffer_.push_back(byte);
}

void SlipFramer::end_frame(FrameCallback& on_frame) {
    if (!discarding_ && !escaped_ && !buffer_.empty()) {
        on_frame(buffer_);
    } else if (escaped_ && !discarding_) {
        ++malformed_; // ESC END: the escape has nothing to escape
    }
    reset();
}

void SlipFramer::feed(std::string_view bytes, FrameCallback on_frame) {
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
        if (buffer_.empty() && !escaped_ && !discarding_) {
            const char* next = take_whole(p, end, on_frame);
            if (next != p) {
                p = next;
                continue;
            }
        }
        auto byte = static_cast<unsigned char>(*p++);
        if (byte == kEnd) {
            end_frame(on_frame);
        } else if (discarding_) {
            continue;
        } else if (escaped_) {
            escaped_ = false;
            if (byte == kEscEnd) {
                add(static_cast<char>(kEnd));
            } else if (byte == kEscEsc) {
                add(static_cast<char>(kEsc));
            } else {
                ++malformed_;
                discarding_ = true;
                buffer_.clear();
            }
        } else if (byte == kEsc) {
            escaped_ = true;
        } else {
            add(static_cast<char>(byte));
        }
    }
}

void SlipFramer::finish(FrameCallback) {
    if (!discarding_ && (escaped_ || !buffer_.empty())) {
        ++malformed_;
    }
    reset();
}

void SlipFramer::reset() {
    buffer_.clear();
    escaped_ = false;
    discarding_ = false;
}

} // namespace sluice
