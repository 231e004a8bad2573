#pragma once
// file: events from a file, read once to its end or followed across rotation.

#include "drivers/runtime/timer.hpp"
#include "drivers/source.hpp"
#include "drivers/sources/frame_decoder.hpp"

#include <memory>
#include <vector>

#include <sys/types.h>

namespace sluice {

std::span<const OptionSpec> file_source_options();

/// Reads `path` in large chunks. Without `follow` it ends at end of file (the daemon exits when
/// every source has ended). With `follow: true` it waits at the end for more, like tail -F: a
/// new inode at the path (rotation by rename) is opened from its start once the old file is
/// read to its end, and a file that shrank (truncation) is read again from its start. A
/// missing file is waited for.
class FileSource : public Source {
public:
    static std::unique_ptr<Source> make(const ComponentConfig& config, Diagnostics& diagnostics);
    ~FileSource() override { close_file(); }

    Task<void> run(Scheduler& scheduler, SourceOutput& output) override;
    void stop() override;

private:
    FileSource(const ComponentConfig& config, Diagnostics& diagnostics);
    /// Opens the path; returns false when it does not exist (yet).
    bool open_file(bool seek_to_end);
    void close_file();
    /// At end of file while following: whether the path now names another file or was
    /// truncated (then the reading position has been reset).
    bool rotated_or_truncated();

    FrameDecoder decoder_;
    std::string path_;
    bool follow_ = false;
    bool start_at_end_ = false;
    std::uint64_t poll_ms_ = 250;
    int fd_ = -1;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
    off_t offset_ = 0;
    std::unique_ptr<Timer> timer_;
    std::vector<char> buffer_;
    bool stopping_ = false;
};

} // namespace sluice
