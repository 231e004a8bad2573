#include "daemon/tap.hpp"

#include "pipeline/codec/text_format.hpp"

namespace sluice {

TapSession::TapSession(Scheduler& scheduler, std::string component, std::uint64_t limit)
    : scheduler_(scheduler), component_(std::move(component)), limit_(limit), wake_(scheduler) {}

void TapSession::observe(std::span<const Event> events) {
    if (finished_) {
        return;
    }
    std::size_t i = 0;
    for (; i < events.size() && !finished_; ++i) {
        if (pending_.size() >= kMaxBuffered) {
            break;
        }
        encode(events[i]);
        ++queued_;
        finished_ = limit_ != 0 && queued_ >= limit_;
    }
    if (!finished_) {
        dropped_ += events.size() - i;
    }
    if (i > 0 || finished_) {
        wake_.notify();
    }
}

void TapSession::encode(const Event& event) {
    pending_.append("{\"_ts\":");
    append_int(pending_, event.ts());
    pending_.append(",\"_source\":");
    append_json_string(pending_, symbol_name(event.source()));
    auto object_start = pending_.size();
    encoder_.encode(event, pending_);
    // The encoder wrote a whole object: its opening brace becomes the comma after _source.
    if (pending_.compare(object_start, 2, "{}") == 0) {
        pending_.replace(object_start, 2, "}");
    } else {
        pending_[object_start] = ',';
    }
}

void TapSession::finish() {
    finished_ = true;
    wake_.notify();
}

Task<void> TapSession::pump(Stream* stream, std::uint64_t* deadline_ms, std::uint64_t timeout_ms) {
    while (true) {
        if (pending_.empty()) {
            if (finished_) {
                co_return;
            }
            co_await wake_.wait();
            continue;
        }
        // Events keep arriving in pending_ while writing_ is with the kernel.
        writing_.swap(pending_);
        *deadline_ms = scheduler_.now_ms() + timeout_ms;
        co_await stream->write(writing_);
        *deadline_ms = 0;
        writing_.clear();
    }
}

} // namespace sluice
