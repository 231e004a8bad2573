#include "drivers/sinks/stdout.hpp"

#include "drivers/log.hpp"
#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

namespace sluice {

namespace {
constexpr OptionSpec kFileOptions[] = {
    {"path", OptionType::string, "", "File to append to; created (mode 0644) if missing.", true},
    {"rotate_bytes", OptionType::size, "0",
     "Start a new file before the current one would grow past this size (0: never rotate)."},
    {"keep",
     OptionType::integer,
     "5",
     "With rotate_bytes: how many rotated files (path.1 ... path.N) to keep.",
     false,
     {},
     0,
     1000},
    kReconnectMinOption,
    kReconnectMaxOption,
};
} // namespace

std::span<const OptionSpec> file_sink_options() {
    return kFileOptions;
}

FdSink::FdSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler,
               std::string path)
    : EncodedSink(config, diagnostics, scheduler), path_(std::move(path)) {
    if (!path_.empty()) {
        Options options(config.options, diagnostics);
        rotate_bytes_ = options.size("rotate_bytes", 0);
        keep_ = static_cast<int>(options.integer("keep", 5));
    }
}

std::unique_ptr<Sink> FdSink::make_stdout(const ComponentConfig& config, Diagnostics& diagnostics,
                                          Scheduler& scheduler) {
    std::unique_ptr<FdSink> sink(new FdSink(config, diagnostics, scheduler, {}));
    return sink->valid() ? std::move(sink) : nullptr;
}

std::unique_ptr<Sink> FdSink::make_file(const ComponentConfig& config, Diagnostics& diagnostics,
                                        Scheduler& scheduler) {
    Options options(config.options, diagnostics);
    auto path = options.string("path");
    if (path.empty()) {
        diagnostics.error(config.position,
                          "file sink '" + config.name + "' needs 'path', expected a file name");
    }
    std::unique_ptr<FdSink> sink(new FdSink(config, diagnostics, scheduler, path));
    return !path.empty() && sink->valid() ? std::move(sink) : nullptr;
}

Task<void> FdSink::open_output() {
    fd_ = STDOUT_FILENO;
    size_ = 0;
    if (!path_.empty()) {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw IoError("open " + path_, -errno);
        }
        struct stat info {};
        fstat(fd_, &info);
        size_ = static_cast<std::uint64_t>(info.st_size);
    }
    output_ = std::make_unique<FdStream>(scheduler_, fd_, !path_.empty());
    // A header (CSV) starts each new file; appending to a file that has one adds none.
    if (!preamble().empty() && (path_.empty() || size_ == 0)) {
        co_await output_->write(preamble());
        size_ += preamble().size();
    }
}

Task<void> FdSink::open_transport() {
    co_await open_output();
}

Task<void> FdSink::rotate() {
    output_->close();
    output_.reset();
    // path.N-1 -> path.N, ..., path -> path.1; the oldest falls off the end.
    for (int i = keep_; i >= 1; --i) {
        auto from = i == 1 ? path_ : path_ + "." + std::to_string(i - 1);
        auto to = path_ + "." + std::to_string(i);
        ::rename(from.c_str(), to.c_str());
    }
    if (keep_ == 0) {
        ::unlink(path_.c_str());
    }
    try {
        co_await open_output();
    } catch (const IoError& e) {
        // The old file is closed: Sink::run() keeps the batch and reopens through open().
        throw ReopenNeeded("cannot start a new file after rotating " + path_ + ": " + e.what());
    }
    log_info(status_.name, "rotated " + path_);
}

Task<void> FdSink::send(std::string_view bytes) {
    if (rotate_bytes_ > 0 && size_ > preamble().size() && size_ + bytes.size() > rotate_bytes_) {
        co_await rotate();
    }
    try {
        co_await output_->write(bytes);
    } catch (const IoError& e) {
        // Standard output never comes back once its reader has closed it; a file can.
        if (path_.empty() && e.code() == UV_EPIPE) {
            throw OutputGone(std::string("standard output was closed by its reader (") + e.what() +
                             ")");
        }
        throw;
    }
    size_ += bytes.size();
}

bool FdSink::send_now(std::string_view bytes) {
    if (fd_ < 0) {
        return false;
    }
    return ::write(fd_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
}

void FdSink::cancel_transport() {
    if (output_) {
        output_->close();
    }
    if (!path_.empty()) {
        fd_ = -1; // closed with the stream; the number may be reused
    }
}

Task<void> FdSink::close_transport() {
    if (output_) {
        output_->close();
        output_.reset();
    }
    fd_ = -1;
    co_return;
}

} // namespace sluice
