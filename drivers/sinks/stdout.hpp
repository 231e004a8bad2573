#pragma once
// stdout and file sinks: encoded events appended to standard output or a file.

#include "drivers/io/fd_stream.hpp"
#include "drivers/sink.hpp"
#include "pipeline/codec/encoder.hpp"

#include <memory>
#include <string>

namespace sluice {

std::span<const OptionSpec> file_sink_options();

/// Writes each batch as one write() of encoded events: to stdout (`type: stdout`) or appended
/// to `path` (`type: file`, created with mode 0644 if missing).
class FdSink : public Sink {
public:
    static std::unique_ptr<Sink> make_stdout(const ComponentConfig& config,
                                             Diagnostics& diagnostics, Scheduler& scheduler);
    static std::unique_ptr<Sink> make_file(const ComponentConfig& config, Diagnostics& diagnostics,
                                           Scheduler& scheduler);

protected:
    Task<void> open() override;
    Task<void> write(std::span<const Event> events) override;
    Task<void> close() override;
    void cancel_io() override;

private:
    FdSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler,
           std::string path);

    Scheduler& scheduler_;
    std::string path_; // empty: stdout
    std::unique_ptr<Encoder> encoder_;
    std::unique_ptr<FdStream> output_;
    std::string buffer_;
};

} // namespace sluice
