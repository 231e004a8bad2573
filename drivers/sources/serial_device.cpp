#include "drivers/sources/serial_device.hpp"

#include "drivers/runtime/errors.hpp"
#include "drivers/sources/reconnect.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace sluice {

namespace {

constexpr std::string_view kDataBits[] = {"5", "6", "7", "8"};
constexpr std::string_view kParity[] = {"none", "even", "odd"};
constexpr std::string_view kStopBits[] = {"1", "2"};
constexpr std::string_view kFlow[] = {"none", "rtscts", "xonxoff"};

constexpr OptionSpec kOptions[] = {
    {"device", OptionType::string, "",
     "Path of the serial device; symlinks such as /dev/serial/by-id/... are followed, and the "
     "path is opened again after an unplug.",
     true},
    {"baud",
     OptionType::integer,
     "9600",
     "Line speed: a standard rate from 50 to 4000000.",
     false,
     {},
     50,
     4000000},
    {"data_bits", OptionType::choice, "8", "Bits per character.", false, kDataBits},
    {"parity", OptionType::choice, "none", "Parity bit.", false, kParity},
    {"stop_bits", OptionType::choice, "1", "Stop bits.", false, kStopBits},
    {"flow_control", OptionType::choice, "none",
     "Hardware (RTS/CTS) or software (XON/XOFF) flow control.", false, kFlow},
    {"hangup_on_close", OptionType::boolean, "false",
     "Drop DTR when the port closes (HUPCL). Off by default because it resets many boards."},
    {"exclusive", OptionType::boolean, "true",
     "Lock the port (TIOCEXCL and flock, which also stops root) so no other program opens it."},
    kReconnectMinOption,
    kReconnectMaxOption,
};

struct BaudRate {
    unsigned rate;
    speed_t code;
};

constexpr BaudRate kBaudRates[] = {
    {50, B50},           {75, B75},           {110, B110},         {134, B134},
    {150, B150},         {200, B200},         {300, B300},         {600, B600},
    {1200, B1200},       {1800, B1800},       {2400, B2400},       {4800, B4800},
    {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
    {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
};

std::optional<speed_t> baud_code(unsigned rate) {
    for (const auto& entry : kBaudRates) {
        if (entry.rate == rate) {
            return entry.code;
        }
    }
    return std::nullopt;
}

void configure(int fd, const SerialSettings& settings) {
    termios tio{};
    if (tcgetattr(fd, &tio) != 0) {
        throw IoError("tcgetattr " + settings.device, -errno);
    }
    cfmakeraw(&tio);
    auto speed = *baud_code(settings.baud);
    cfsetispeed(&tio, speed);
    cfsetospeed(&tio, speed);
    tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS | HUPCL);
    static constexpr tcflag_t kSizes[] = {CS5, CS6, CS7, CS8};
    tio.c_cflag |= kSizes[settings.data_bits - 5] | CLOCAL | CREAD;
    if (settings.parity != 'n') {
        tio.c_cflag |= PARENB;
        if (settings.parity == 'o') {
            tio.c_cflag |= PARODD;
        }
    }
    if (settings.stop_bits == 2) {
        tio.c_cflag |= CSTOPB;
    }
    if (settings.hangup_on_close) {
        tio.c_cflag |= HUPCL;
    }
    tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    if (settings.flow == SerialSettings::Flow::rtscts) {
        tio.c_cflag |= CRTSCTS;
    } else if (settings.flow == SerialSettings::Flow::xonxoff) {
        tio.c_iflag |= IXON | IXOFF;
    }
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        throw IoError("tcsetattr " + settings.device, -errno);
    }
    // Bytes that sat in the driver while nobody read are stale: start clean.
    tcflush(fd, TCIFLUSH);
}

/// Why a wait for the device failed, in words an operator reads right: libuv reports POLLERR
/// on a descriptor as UV_EBADF ("bad file descriptor"), which on a tty is the device hanging up
/// (an unplugged adapter, the far end of a pty closing), not a descriptor sluice lost.
std::string poll_failure(const IoError& e) {
    return e.code() == UV_EBADF ? std::string("hang-up or error on the device") : e.what();
}

} // namespace

std::span<const OptionSpec> serial_device_options() {
    return kOptions;
}

std::optional<SerialSettings> parse_serial_settings(const Options& options,
                                                    const std::string& component) {
    SerialSettings settings;
    settings.device = options.string("device");
    bool ok = true;
    if (settings.device.empty()) {
        options.diagnostics().error(options.position("device"),
                                    "'" + component +
                                        "' needs 'device', expected a path such "
                                        "as /dev/ttyUSB0");
        ok = false;
    }
    auto baud = options.integer("baud", 9600);
    if (baud <= 0 || !baud_code(static_cast<unsigned>(baud))) {
        std::string rates;
        for (const auto& entry : kBaudRates) {
            rates += (rates.empty() ? "" : ", ") + std::to_string(entry.rate);
        }
        options.diagnostics().error(options.position("baud"), "unsupported baud rate " +
                                                                  std::to_string(baud) +
                                                                  ", expected one of " + rates);
        return std::nullopt;
    }
    if (!ok) {
        return std::nullopt;
    }
    settings.baud = static_cast<unsigned>(baud);
    settings.data_bits = static_cast<int>(options.integer("data_bits", 8));
    if (settings.data_bits < 5 || settings.data_bits > 8) {
        settings.data_bits = 8;
    }
    settings.parity = options.string("parity", "none")[0];
    settings.stop_bits = static_cast<int>(options.integer("stop_bits", 1));
    auto flow = options.string("flow_control", "none");
    settings.flow = flow == "rtscts"    ? SerialSettings::Flow::rtscts
                    : flow == "xonxoff" ? SerialSettings::Flow::xonxoff
                                        : SerialSettings::Flow::none;
    settings.hangup_on_close = options.boolean("hangup_on_close", false);
    settings.exclusive = options.boolean("exclusive", true);
    return settings;
}

int open_serial_port(const SerialSettings& settings) {
    int fd = ::open(settings.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        throw IoError("open " + settings.device, -errno);
    }
    try {
        if (!isatty(fd)) {
            throw IoError(settings.device + " is not a terminal", UV_ENOTTY);
        }
        if (settings.exclusive) {
            // TIOCEXCL keeps other users out; root ignores it, so flock too.
            if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
                throw IoError("lock " + settings.device + " (in use by another program?)", -errno);
            }
            ioctl(fd, TIOCEXCL);
        }
        configure(fd, settings);
    } catch (...) {
        ::close(fd);
        throw;
    }
    return fd;
}

SerialDevice::SerialDevice(SerialSettings settings, Backoff backoff, Scheduler& scheduler,
                           ComponentStatus& status)
    : settings_(std::move(settings)), backoff_(backoff), scheduler_(scheduler), status_(status),
      timer_(scheduler) {}

SerialDevice::~SerialDevice() {
    close();
}

bool SerialDevice::try_open() {
    if (fd_ >= 0) {
        return true;
    }
    try {
        fd_ = open_serial_port(settings_);
        poll_ = std::make_unique<Poll>(scheduler_, fd_);
    } catch (const IoError& e) {
        close_fd();
        status_.state = ComponentState::backoff;
        status_.last_error = e.what();
        retry_log_.write(LogLevel::warn, status_.name,
                         "state backoff: " + std::string(e.what()) + "; retrying");
        return false;
    }
    backoff_.reset();
    status_.state = ComponentState::running;
    log_info(status_.name, "state running: opened " + settings_.device + " at " +
                               std::to_string(settings_.baud) + " baud");
    return true;
}

Task<void> SerialDevice::ensure_open() {
    if (closed_ || cancelled_) {
        throw Cancelled{};
    }
    while (!try_open()) {
        co_await timer_.sleep(backoff_.next_ms());
        if (closed_ || cancelled_) {
            throw Cancelled{};
        }
    }
}

void SerialDevice::close_fd() {
    if (poll_) {
        poll_->close();
        poll_.reset();
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void SerialDevice::lost(const std::string& why) {
    status_.record_error(settings_.device + " went away: " + why);
    status_.state = ComponentState::backoff;
    log_warn(status_.name,
             "state backoff: " + settings_.device + " went away (" + why + "); reopening");
    close_fd();
}

Task<std::size_t> SerialDevice::read(std::span<char> buffer) {
    while (true) {
        co_await ensure_open();
        try {
            co_await poll_->wait(UV_READABLE);
        } catch (const IoError& e) {
            lost(poll_failure(e));
            co_return 0;
        }
        auto outcome = read_available(buffer);
        if (outcome != 0) {
            co_return outcome > 0 ? static_cast<std::size_t>(outcome) : 0;
        }
        // Readable with nothing to read: a spurious wake-up; wait again.
    }
}

long SerialDevice::read_available(std::span<char> buffer) {
    std::size_t total = 0;
    while (total < buffer.size()) {
        auto n = ::read(fd_, buffer.data() + total, buffer.size() - total);
        if (n > 0) {
            total += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        if (total > 0) {
            // Hand over what arrived first; the next read sees the hang-up again.
            break;
        }
        // A tty read of 0 after readiness is a hang-up: a vanished USB adapter reports 0
        // over and over rather than EIO, so treat it as the end of this device.
        lost(n == 0 ? std::string("hang-up") : std::string(IoError("read", -errno).what()));
        return -1;
    }
    return static_cast<long>(total);
}

Task<bool> SerialDevice::write(std::string_view bytes) {
    co_await ensure_open();
    while (!bytes.empty()) {
        auto n = ::write(fd_, bytes.data(), bytes.size());
        if (n >= 0) {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            lost(IoError("write", -errno).what());
            co_return false;
        }
        try {
            co_await poll_->wait(UV_WRITABLE);
        } catch (const IoError& e) {
            lost(poll_failure(e));
            co_return false;
        }
    }
    co_return true;
}

bool SerialDevice::write_now(std::string_view bytes) {
    if (fd_ < 0) {
        try {
            fd_ = open_serial_port(settings_);
        } catch (const IoError&) {
            return false;
        }
    }
    if (bytes.empty()) {
        return true;
    }
    auto n = ::write(fd_, bytes.data(), bytes.size());
    return n == static_cast<ssize_t>(bytes.size());
}

void SerialDevice::cancel() {
    cancelled_ = true;
    timer_.close();
    if (poll_) {
        poll_->close();
        poll_.reset();
    }
}

void SerialDevice::close() {
    closed_ = true;
    timer_.close();
    close_fd();
}

} // namespace sluice
