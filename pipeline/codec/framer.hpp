#pragma once
// Framing: splitting a byte stream into frames (lines, length-prefixed, SLIP, COBS, datagrams).

#include "pipeline/function_ref.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice {

using FrameCallback = FunctionRef<void(std::string_view frame)>;

/// Turns a byte stream into frames. No framer delivers an empty frame. Keeps at most
/// max_frame_bytes of partial frame between calls: a longer frame is discarded (counted in
/// oversize()) and memory never grows past the limit however long the input runs without a
/// delimiter. Never throws except std::bad_alloc.
class Framer {
public:
    explicit Framer(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
    virtual ~Framer() = default;

    /// Splits `bytes` into frames and calls `on_frame` for each complete one. The view passed
    /// to `on_frame` is valid only during the call.
    virtual void feed(std::string_view bytes, FrameCallback on_frame) = 0;
    /// The stream ended: deliver a final unterminated frame where the framing allows it
    /// (lines does), and forget any partial state.
    virtual void finish(FrameCallback on_frame) = 0;
    /// Forget partial state (a reconnect starts a fresh stream).
    virtual void reset() = 0;

    /// Bytes of partial frame held between feed() calls; never more than max_frame_bytes().
    virtual std::size_t buffered() const { return 0; }

    /// Frames discarded because they were longer than max_frame_bytes().
    std::uint64_t oversize() const { return oversize_; }
    /// Frames discarded because their bytes broke the framing (a bad SLIP escape, a COBS code
    /// that runs past the delimiter, a length-prefixed frame cut short by the end of the stream).
    std::uint64_t malformed() const { return malformed_; }
    std::size_t max_frame_bytes() const { return max_frame_bytes_; }

protected:
    std::size_t max_frame_bytes_;
    std::uint64_t oversize_ = 0;
    std::uint64_t malformed_ = 0;
};

} // namespace sluice
