#pragma once
// The client side of the status socket: `sluice status`, `sluice tap` and `sluice reload`.
// Plain blocking sockets with timeouts: the CLI is a short-lived process, not the daemon.

#include <cstdint>
#include <optional>
#include <string>

namespace sluice {

/// A blocking connection to the status socket.
class StatusClient {
public:
    /// Connects to `path`. Throws std::runtime_error with a message for the user.
    explicit StatusClient(const std::string& path);
    ~StatusClient();
    StatusClient(const StatusClient&) = delete;
    StatusClient& operator=(const StatusClient&) = delete;

    /// How long send/read may wait; 0 waits for ever (tap).
    void set_timeout_ms(int ms);
    /// Sends `request` and a newline. Throws std::runtime_error.
    void send_line(const std::string& request);
    /// The next line without its newline; nullopt when the daemon closed the connection.
    /// Throws std::runtime_error on a timeout or an error.
    std::optional<std::string> read_line();

private:
    int fd_ = -1;
    std::string path_;
    std::string buffered_;
};

/// `sluice status`: prints the table, or the raw JSON reply with `json`. Returns the exit code.
int run_status_command(const std::string& socket, bool json);
/// `sluice tap`: prints the events leaving `component` as JSON lines until `limit` (0: until
/// interrupted or the component goes away). Returns the exit code.
int run_tap_command(const std::string& socket, const std::string& component, std::uint64_t limit);
/// `sluice reload`: prints the outcome; exit code 1 when the reload failed.
int run_reload_command(const std::string& socket);

} // namespace sluice
