#pragma once
// Support for the ZeroMQ end-to-end tests: fast peers for load, the daemon's counters from its
// status socket, and its resident memory from /proc.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sluice::test {

/// A PUSH peer that connects to `endpoint` and sends `count` readings {"i":N,"temp":..}
/// (padded to `bytes` when larger) as fast as they are taken, blocking at the high-water mark
/// like a real producer. The destructor waits for the thread.
class FastPusher {
public:
    FastPusher(std::string endpoint, std::uint64_t count, std::size_t bytes = 0);
    ~FastPusher();
    std::uint64_t sent() const { return sent_; }
    bool done() const { return done_; }

private:
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<bool> done_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// A PULL peer that binds or connects `endpoint` and checks every message against the
/// readings it expects, in order: message k must carry "i":expected(k).
class CheckingPuller {
public:
    CheckingPuller(std::string endpoint, bool bind,
                   std::function<std::uint64_t(std::uint64_t)> expected);
    ~CheckingPuller();
    std::uint64_t received() const { return received_; }
    /// The first message out of order or malformed, empty while all were right.
    std::string first_error() const;
    /// Starts or stops reading: a consumer that stalls.
    void set_reading(bool reading);

private:
    void serve(std::string endpoint, bool bind,
               std::function<std::uint64_t(std::uint64_t)> expected);
    bool wait_while_paused();

    std::atomic<std::uint64_t> received_{0};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool reading_ = true;
    bool stop_ = false;
    std::string error_;
    std::thread thread_;
};

/// A counter of component `name` in the daemon's `{"cmd":"status"}` reply (events_in,
/// queue_depth...); nullopt when the socket does not answer or has no such value.
std::optional<std::int64_t> status_counter(const std::string& socket, const std::string& name,
                                           const std::string& key);

/// Resident set size of process `pid` in KiB (VmRSS from /proc), 0 if unknown.
std::int64_t resident_kib(int pid);

} // namespace sluice::test
