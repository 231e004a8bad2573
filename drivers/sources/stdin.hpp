#pragma once
// stdin: events from standard input; ends at end of input.

#include "drivers/io/fd_stream.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <memory>
#include <vector>

namespace sluice {

/// Reads standard input in large chunks (one read fills many frames), decodes with the
/// configured framing (default lines) and decoder (default json), and ends at end of input, so
/// `sluice run -c rules.yaml < recorded.jsonl` works as a batch filter.
class StdinSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

private:
    StdinSource(const ComponentConfig& config, Diagnostics& diagnostics);

    FrameDecoder decoder_;
    std::unique_ptr<FdStream> input_;
    std::vector<char> buffer_;
    bool stopping_ = false;
};

} // namespace sluice
