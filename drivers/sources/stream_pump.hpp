#pragma once
// The read loop every byte-stream source shares: read, frame, decode, push, with backpressure.

#include "drivers/runtime/stream.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <span>

namespace sluice {

/// Hands a decoded batch to the pipeline and counts it. Leaves `batch` empty.
void push_batch(EventBatch& batch, SourceOutput& output, ComponentStatus& status, Nanos now);

/// Waits while the sinks fed by `output` are full (`when_full: block`).
Task<void> wait_until_accepting(SourceOutput* output);

/// Reads `stream` until it ends: before each read it waits until the pipeline accepts events,
/// so a full sink stops the reads and the kernel's buffers push back on the peer. One read
/// fills many frames. At end of stream the final unterminated frame is flushed and the call
/// returns; the decoder is reset either way. Throws Cancelled (stream closed) or IoError.
/// Every pointer must outlive the returned task.
Task<void> pump_stream(Stream* stream, FrameDecoder* decoder, SourceOutput* output,
                       ComponentStatus* status, std::span<char> buffer);

} // namespace sluice
