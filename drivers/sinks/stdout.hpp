#pragma once
// stdout and file sinks: encoded events appended to standard output or a file.

#include "drivers/io/fd_stream.hpp"
#include "drivers/sinks/encoded_sink.hpp"

#include <memory>
#include <string>

namespace sluice {

std::span<const OptionSpec> file_sink_options();

/// Writes each batch as one write() of encoded events: to stdout (`type: stdout`) or appended
/// to `path` (`type: file`, created with mode 0644 if missing). With `rotate_bytes`, a file
/// about to grow past that size is renamed to path.1 (path.1 to path.2, and so on, keeping
/// `keep` old files) and a new file is started; a single batch is never split across files.
/// When the new file cannot be created (its directory has gone), the batch is kept and the
/// sink backs off and retries opening the file, as when it cannot open at start.
class FdSink : public EncodedSink {
public:
    static std::unique_ptr<Sink> make_stdout(const ComponentConfig& config,
                                             Diagnostics& diagnostics, Scheduler& scheduler);
    static std::unique_ptr<Sink> make_file(const ComponentConfig& config, Diagnostics& diagnostics,
                                           Scheduler& scheduler);

protected:
    Task<void> open_transport() override;
    Task<void> send(std::string_view bytes) override;
    bool send_now(std::string_view bytes) override;
    Task<void> close_transport() override;
    void cancel_transport() override;

private:
    FdSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler,
           std::string path);
    Task<void> open_output();
    Task<void> rotate();

    std::string path_; // empty: stdout
    std::uint64_t rotate_bytes_ = 0;
    int keep_ = 5;
    std::uint64_t size_ = 0; // of the current file
    int fd_ = -1;
    std::unique_ptr<FdStream> output_;
};

} // namespace sluice
