#include "drivers/sources/stream_pump.hpp"

namespace sluice {

void push_batch(EventBatch& batch, SourceOutput& output, ComponentStatus& status, Nanos now) {
    if (batch.empty()) {
        return;
    }
    status.events_out += batch.size();
    status.last_event = now;
    output.push(batch);
    batch.clear();
}

Task<void> wait_until_accepting(SourceOutput* output) {
    while (!output->accepting()) {
        co_await output->capacity_changed();
    }
}

Task<void> pump_stream(Stream* stream, FrameDecoder* decoder, SourceOutput* output,
                       ComponentStatus* status, std::span<char> buffer) {
    EventBatch batch;
    decoder->reset();
    while (true) {
        co_await wait_until_accepting(output);
        auto n = co_await stream->read(buffer);
        auto now = wall_clock_now();
        if (n == 0) {
            decoder->finish(batch, now, *status);
            push_batch(batch, *output, *status, now);
            co_return;
        }
        decoder->feed({buffer.data(), n}, batch, now, *status);
        push_batch(batch, *output, *status, now);
    }
}

} // namespace sluice
