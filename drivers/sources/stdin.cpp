#include "drivers/sources/stdin.hpp"

#include <unistd.h>

namespace sluice {

namespace {
constexpr std::size_t kReadSize = 64 * 1024;
} // namespace

StdinSource::StdinSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "lines") {}

std::unique_ptr<Source> StdinSource::make(const ComponentConfig& config, Diagnostics& diagnostics) {
    std::unique_ptr<StdinSource> source(new StdinSource(config, diagnostics));
    if (!source->decoder_.valid()) {
        return nullptr;
    }
    return source;
}

Task<void> StdinSource::run(Scheduler& scheduler, SourceOutput& output) {
    input_ = std::make_unique<FdStream>(scheduler, STDIN_FILENO, false);
    buffer_.resize(kReadSize);
    status_.state = ComponentState::running;
    EventBatch batch;
    while (!stopping_) {
        co_await wait_for_room(output);
        if (stopping_) {
            break;
        }
        auto n = co_await input_->read(buffer_);
        batch.clear();
        auto now = wall_clock_now();
        if (n == 0) {
            decoder_.finish(batch, now, status_);
        } else {
            decoder_.feed({buffer_.data(), n}, batch, now, status_);
        }
        if (!batch.empty()) {
            status_.events_out += batch.size();
            status_.last_event = now;
            output.push(batch);
        }
        if (n == 0) {
            break;
        }
        if (input_->is_regular_file()) {
            // A file never makes read() wait, so give timers and other sources their turn.
            co_await yield_to_loop(scheduler);
        }
    }
    status_.state = ComponentState::stopped;
    input_->close();
}

void StdinSource::stop() {
    stopping_ = true;
    if (input_) {
        input_->close();
    }
}

} // namespace sluice
