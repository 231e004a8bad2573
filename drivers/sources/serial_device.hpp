#pragma once
// A serial port that survives being unplugged: opened raw and exclusive, reopened by path.

#include "drivers/component.hpp"
#include "drivers/log.hpp"
#include "drivers/runtime/backoff.hpp"
#include "drivers/runtime/poll.hpp"
#include "drivers/runtime/task.hpp"
#include "drivers/runtime/timer.hpp"
#include "pipeline/options.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace sluice {

/// The options of the serial source and sink: device, line settings, exclusivity, reconnect.
std::span<const OptionSpec> serial_device_options();

struct SerialSettings {
    std::string device; // a path, symlinks such as /dev/serial/by-id/... allowed
    unsigned baud = 9600;
    int data_bits = 8;
    char parity = 'n'; // n, e, o
    int stop_bits = 1;
    enum class Flow { none, rtscts, xonxoff } flow = Flow::none;
    bool hangup_on_close = false; // HUPCL: drops DTR on close, which resets many boards
    bool exclusive = true;        // TIOCEXCL and flock
};

/// Reads the serial options; reports bad ones (an unsupported baud rate) to the diagnostics.
std::optional<SerialSettings> parse_serial_settings(const Options& options,
                                                    const std::string& component);

/// Opens `settings.device` O_NOCTTY|O_NONBLOCK|O_CLOEXEC in raw mode with the line settings,
/// locked against other openers. Returns the fd. Throws IoError.
int open_serial_port(const SerialSettings& settings);

/// One serial device for a source or sink. A device missing at start, or one that vanishes
/// (POLLHUP/POLLERR, read() returning 0 or EIO, a write error) is closed and reopened by path
/// with capped exponential backoff; the status shows backoff, then running. Never spins on a
/// dead fd. close() ends every wait with Cancelled.
class SerialDevice {
public:
    SerialDevice(SerialSettings settings, Backoff backoff, Scheduler& scheduler,
                 ComponentStatus& status);
    ~SerialDevice();
    SerialDevice(const SerialDevice&) = delete;
    SerialDevice& operator=(const SerialDevice&) = delete;

    /// One attempt to open the device, without waiting. Logs and sets the state either way.
    bool try_open();
    /// Returns once the device is open, retrying as long as it takes. Throws Cancelled.
    Task<void> ensure_open();
    /// Waits for input and reads all that is there, up to buffer.size(). Returns 0 when the
    /// device went away (it is closed then; ensure_open() reopens it). Throws Cancelled.
    Task<std::size_t> read(std::span<char> buffer);
    /// Writes all of `bytes` (valid until done). Returns false when the device went away
    /// before all was written. Throws Cancelled.
    Task<bool> write(std::string_view bytes);
    /// A best-effort write that never waits (a safe state after the queue was abandoned).
    bool write_now(std::string_view bytes);
    bool is_open() const { return fd_ >= 0; }
    /// Cancels waits and closes the device for good.
    void close();
    /// Cancels waits but keeps the device open, so write_now() can still reach it.
    void cancel();

private:
    void lost(const std::string& why);
    /// Reads until EAGAIN or a full buffer: bytes read, 0 for none, -1 when the device is gone.
    long read_available(std::span<char> buffer);
    void close_fd();

    SerialSettings settings_;
    Backoff backoff_;
    Scheduler& scheduler_;
    ComponentStatus& status_;
    int fd_ = -1;
    std::unique_ptr<Poll> poll_;
    Timer timer_;
    bool closed_ = false;
    bool cancelled_ = false;
    RateLimitedLog retry_log_{3, std::chrono::seconds(60)};
};

} // namespace sluice
