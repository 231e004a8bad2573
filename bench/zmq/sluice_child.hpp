#pragma once
// The sluice daemon as a child process of the benchmark, and its CPU time from /proc.

#include <string>

namespace sluice::bench {

/// Runs `sluice run -c <config>` with the config written to a temporary directory; the
/// destructor stops it with SIGTERM, waits, and removes the directory.
class SluiceChild {
public:
    SluiceChild(const std::string& binary, const std::string& config_yaml);
    ~SluiceChild();
    SluiceChild(const SluiceChild&) = delete;
    SluiceChild& operator=(const SluiceChild&) = delete;

    int pid() const { return pid_; }
    /// User + system CPU time the child has used so far, in seconds (10 ms resolution).
    double cpu_seconds() const;
    /// The same for its main thread alone: the event loop, without libzmq's I/O thread.
    double loop_cpu_seconds() const;

private:
    std::string dir_;
    int pid_ = -1;
};

} // namespace sluice::bench
