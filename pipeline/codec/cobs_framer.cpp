#include "pipeline/codec/cobs_framer.hpp"

namespace sluice {

void CobsFramer::add(char byte) {
    if (buffer_.size() >= max_frame_bytes_) {
        ++oversize_;
        discarding_ = true;
        buffer_.clear();
        return;
    }
    buffer_.push_back(byte);
}

void CobsFramer::end_frame(FrameCallback& on_frame) {
    if (!discarding_) {
        if (block_left_ > 0) {
            ++malformed_;
        } else if (!buffer_.empty()) {
            // The last block's implied zero is the delimiter itself, not data.
            on_frame(buffer_);
        }
    }
    reset();
}

void CobsFramer::feed(std::string_view bytes, FrameCallback on_frame) {
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        if (byte == 0) {
            end_frame(on_frame);
        } else if (discarding_) {
            continue;
        } else if (block_left_ > 0) {
            add(c);
            --block_left_;
        } else {
            // A code byte: the previous block's implied zero becomes data now that the frame
            // goes on.
            if (zero_pending_) {
                add('\0');
            }
            started_ = true;
            block_left_ = byte - 1u;
            zero_pending_ = byte != 0xFF;
        }
    }
}

void CobsFramer::finish(FrameCallback) {
    if (started_ && !discarding_) {
        ++malformed_;
    }
    reset();
}

void CobsFramer::reset() {
    buffer_.clear();
    block_left_ = 0;
    zero_pending_ = false;
    started_ = false;
    discarding_ = false;
}

} // namespace sluice
