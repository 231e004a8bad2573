#include "drivers/sources/file.hpp"

#include "drivers/io/fd_stream.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/stream_pump.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice {

namespace {

constexpr std::size_t kReadSize = 256 * 1024;

constexpr std::string_view kStartAt[] = {"beginning", "end"};

constexpr OptionSpec kOptions[] = {
    {"path", OptionType::string, "", "File to read.", true},
    {"follow", OptionType::boolean, "false",
     "Keep reading as the file grows, across rotation and truncation (like tail -F); without "
     "it the source ends at end of file."},
    {"start_at", OptionType::choice, "beginning",
     "With follow: where to start in the file that exists at start-up.", false, kStartAt},
    {"poll_interval", OptionType::duration, "250ms",
     "With follow: how often to look for new data, rotation or truncation at end of file."},
};

} // namespace

std::span<const OptionSpec> file_source_options() {
    return kOptions;
}

FileSource::FileSource(const ComponentConfig& config, Diagnostics& diagnostics)
    : Source(config), decoder_(config, diagnostics, "lines") {}

std::unique_ptr<Source> FileSource::make(const ComponentConfig& config, Diagnostics& diagnostics) {
    std::unique_ptr<FileSource> source(new FileSource(config, diagnostics));
    Options options(config.options, diagnostics);
    source->path_ = options.string("path");
    source->follow_ = options.boolean("follow", false);
    source->start_at_end_ = options.string("start_at", "beginning") == "end";
    source->poll_ms_ = static_cast<std::uint64_t>(
        std::max<Nanos>(1'000'000, options.duration("poll_interval", 250'000'000)) / 1'000'000);
    if (source->path_.empty()) {
        diagnostics.error(config.position,
                          "file source '" + config.name + "' needs 'path', expected a file name");
        return nullptr;
    }
    if (!source->decoder_.valid()) {
        return nullptr;
    }
    return source;
}

bool FileSource::open_file(bool seek_to_end) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
        if (errno == ENOENT && follow_) {
            return false;
        }
        throw IoError("open " + path_, -errno);
    }
    struct stat info {};
    fstat(fd_, &info);
    dev_ = info.st_dev;
    ino_ = info.st_ino;
    offset_ = seek_to_end ? lseek(fd_, 0, SEEK_END) : 0;
    decoder_.reset();
    status_.state = ComponentState::running;
    return true;
}

void FileSource::close_file() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

bool FileSource::rotated_or_truncated() {
    struct stat info {};
    if (::stat(path_.c_str(), &info) != 0) {
        return false; // moved away and not yet replaced: keep the old file
    }
    if (info.st_dev != dev_ || info.st_ino != ino_) {
        log_info(status_.name, path_ + " was rotated; reading the new file");
        return true;
    }
    if (info.st_size < offset_) {
        log_info(status_.name, path_ + " was truncated; reading from its start");
        lseek(fd_, 0, SEEK_SET);
        offset_ = 0;
        decoder_.reset();
    }
    return false;
}

Task<void> FileSource::run(Scheduler& scheduler, SourceOutput& output) {
    timer_ = std::make_unique<Timer>(scheduler);
    buffer_.resize(kReadSize);
    EventBatch batch;
    bool first = true;
    try {
        while (!stopping_) {
            if (fd_ < 0) {
                if (!open_file(first && start_at_end_)) {
                    status_.state = ComponentState::backoff;
                    co_await timer_->sleep(poll_ms_);
                    continue;
                }
                first = false;
            }
            co_await wait_until_accepting(&output);
            auto n = ::read(fd_, buffer_.data(), buffer_.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                throw IoError("read " + path_, -errno);
            }
            auto now = wall_clock_now();
            if (n > 0) {
                offset_ += n;
                decoder_.feed({buffer_.data(), static_cast<std::size_t>(n)}, batch, now, status_);
                push_batch(batch, output, status_, now);
                // A file never makes read() wait, so give timers and other sources a turn.
                co_await yield_to_loop(scheduler);
                continue;
            }
            if (!follow_) {
                decoder_.finish(batch, now, status_);
                push_batch(batch, output, status_, now);
                break;
            }
            if (rotated_or_truncated()) {
                // The old file has been read to its end; its last line may lack a newline.
                decoder_.finish(batch, now, status_);
                push_batch(batch, output, status_, now);
                close_file();
                continue;
            }
            co_await timer_->sleep(poll_ms_);
        }
    } catch (const Cancelled&) {
    }
    close_file();
    timer_->close();
    status_.state = ComponentState::stopped;
}

void FileSource::stop() {
    stopping_ = true;
    if (timer_) {
        timer_->close();
    }
}

} // namespace sluice
