#pragma once
// The systemd notification protocol (sd_notify(3)) without libsystemd: datagrams to
// $NOTIFY_SOCKET.

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

/// Sends state changes to the service manager. Built from the environment once at start-up:
/// reads $NOTIFY_SOCKET (a path, or "@name" for an abstract socket), $WATCHDOG_USEC and
/// $WATCHDOG_PID, then unsets them so that child processes do not inherit them. Without
/// $NOTIFY_SOCKET every call does nothing. Sends never block and never throw: a lost
/// notification is the manager's concern, not a reason to stop.
class SdNotifier {
public:
    SdNotifier();
    ~SdNotifier();
    SdNotifier(const SdNotifier&) = delete;
    SdNotifier& operator=(const SdNotifier&) = delete;

    bool enabled() const { return fd_ >= 0; }
    /// How often to send WATCHDOG=1 (half of $WATCHDOG_USEC), or 0 when the watchdog is off.
    std::uint64_t watchdog_interval_ms() const { return watchdog_interval_ms_; }

    /// "READY=1" and a STATUS= line.
    void ready(std::string_view status);
    /// "RELOADING=1" with MONOTONIC_USEC= (the manager matches it to its reload request).
    void reloading();
    /// "STOPPING=1" and a STATUS= line.
    void stopping(std::string_view status);
    void status(std::string_view status);
    void watchdog();

private:
    void send(const std::string& message);

    int fd_ = -1;
    std::string address_; // sockaddr_un path bytes; a leading NUL for abstract sockets
    std::uint64_t watchdog_interval_ms_ = 0;
};

} // namespace sluice
