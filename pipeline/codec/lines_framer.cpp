#include "pipeline/codec/lines_framer.hpp"

#include <cstring>

namespace sluice {

void LinesFramer::deliver(std::string_view line, FrameCallback& on_frame) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    if (!line.empty()) {
        on_frame(line);
    }
}

void LinesFramer::feed(std::string_view bytes, FrameCallback on_frame) {
    if (auto held = bom_.strip(bytes); !held.empty()) {
        keep_partial(held); // the start of the first line after all
    }
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
        const auto* newline =
            static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!newline) {
            keep_partial({p, static_cast<std::size_t>(end - p)});
            return;
        }
        std::string_view piece{p, static_cast<std::size_t>(newline - p)};
        p = newline + 1;
        if (discarding_) {
            discarding_ = false;
        } else if (buffer_.empty()) {
            // The common case: the whole line is in this read, so hand out a view of it.
            if (piece.size() <= max_frame_bytes_) {
                deliver(piece, on_frame);
            } else {
                ++oversize_;
            }
        } else if (buffer_.size() + piece.size() <= max_frame_bytes_) {
            buffer_.append(piece);
            deliver(buffer_, on_frame);
            buffer_.clear();
        } else {
            ++oversize_;
            buffer_.clear();
        }
    }
}

void LinesFramer::keep_partial(std::string_view part) {
    if (discarding_) {
        return;
    }
    if (buffer_.size() + part.size() > max_frame_bytes_) {
        ++oversize_;
        discarding_ = true;
        buffer_.clear();
        return;
    }
    buffer_.append(part);
}

void LinesFramer::finish(FrameCallback on_frame) {
    if (auto held = bom_.finish(); !held.empty()) {
        keep_partial(held); // a stream of one or two bytes that began like a mark
    }
    if (!discarding_) {
        deliver(buffer_, on_frame);
    }
    reset();
}

void LinesFramer::reset() {
    buffer_.clear();
    discarding_ = false;
    bom_.reset();
}

} // namespace sluice
