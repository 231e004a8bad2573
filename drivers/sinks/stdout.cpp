#include "drivers/sinks/stdout.hpp"

#include "drivers/runtime/errors.hpp"
#include "pipeline/codec/codecs.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace sluice {

namespace {
constexpr OptionSpec kFileOptions[] = {
    {"path", OptionType::string, "", "File to append to; created (mode 0644) if missing.", true},
};
} // namespace

std::span<const OptionSpec> file_sink_options() {
    return kFileOptions;
}

FdSink::FdSink(const ComponentConfig& config, Diagnostics& diagnostics, Scheduler& scheduler,
               std::string path)
    : Sink(config, scheduler), scheduler_(scheduler), path_(std::move(path)) {
    Options options(config.options, diagnostics);
    encoder_ = make_encoder(options.string("encode", "json"), options);
}

std::unique_ptr<Sink> FdSink::make_stdout(const ComponentConfig& config, Diagnostics& diagnostics,
                                          Scheduler& scheduler) {
    std::unique_ptr<FdSink> sink(new FdSink(config, diagnostics, scheduler, {}));
    return sink->encoder_ ? std::move(sink) : nullptr;
}

std::unique_ptr<Sink> FdSink::make_file(const ComponentConfig& config, Diagnostics& diagnostics,
                                        Scheduler& scheduler) {
    Options options(config.options, diagnostics);
    auto path = options.string("path");
    if (path.empty()) {
        diagnostics.error(config.position,
                          "file sink '" + config.name + "' needs 'path', expected a file name");
        return nullptr;
    }
    std::unique_ptr<FdSink> sink(new FdSink(config, diagnostics, scheduler, path));
    return sink->encoder_ ? std::move(sink) : nullptr;
}

Task<void> FdSink::open() {
    int fd = STDOUT_FILENO;
    if (!path_.empty()) {
        fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            throw IoError("open " + path_, -errno);
        }
    }
    output_ = std::make_unique<FdStream>(scheduler_, fd, !path_.empty());
    buffer_.clear();
    encoder_->begin(buffer_);
    co_return;
}

Task<void> FdSink::write(std::span<const Event> events) {
    for (const auto& event : events) {
        encoder_->encode(event, buffer_);
    }
    status_.bytes_out += buffer_.size();
    // The buffer is reused, so it is only cleared once the write has finished with it.
    try {
        co_await output_->write(buffer_);
    } catch (...) {
        buffer_.clear();
        throw;
    }
    buffer_.clear();
}

void FdSink::cancel_io() {
    if (output_) {
        output_->close();
    }
}

Task<void> FdSink::close() {
    if (output_) {
        output_->close();
    }
    co_return;
}

} // namespace sluice
