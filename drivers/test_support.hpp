#pragma once
// Helpers for the drivers' unit tests: configs from YAML, a collecting source output, running
// the loop until a condition holds, socat pseudo-terminal pairs, and loopback peers.

#include "drivers/runtime/notify.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/sink.hpp"
#include "drivers/source.hpp"
#include "tests/support/process.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sluice::testing {

/// Loads `yaml` (a whole pipeline file, checked by the real config loader against the
/// builtin kinds) and returns the component called `name`. Fails the test on errors.
ComponentConfig component(const std::string& yaml, const std::string& name);
/// What the config loader reports for `yaml` (named test.yaml), as `sluice check` prints it:
/// one "test.yaml:LINE:COL: error: ..." line each; empty when it loads.
std::string load_errors(const std::string& yaml);

/// The JSON line of an event (without the newline).
std::string to_json(const Event& event);
/// An event decoded from a JSON object.
Event from_json(std::string_view json);
std::vector<Event> events_from_json(const std::vector<std::string>& lines);

/// A source's output that keeps every event as a JSON line; accepting() is switchable to test
/// backpressure.
class CollectingOutput : public SourceOutput {
public:
    explicit CollectingOutput(Scheduler& scheduler) : capacity_(scheduler) {}
    void push(EventBatch& batch) override;
    bool accepting() const override { return accepting_; }
    Task<void> capacity_changed() override;
    void set_accepting(bool accepting);

    std::vector<std::string> lines;
    std::size_t pushes = 0;

private:
    bool accepting_ = true;
    Notify capacity_;
};

/// Runs the loop until `done()` holds or `timeout` passes; returns done(). Never sleeps: a
/// 5 ms loop timer makes sure the condition is looked at while nothing else happens.
bool run_until(Scheduler& scheduler, const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Runs `source` in `scope`, recording how it ended in `outcome` ("ended", "cancelled" or the
/// error text).
Task<void> run_source(Source* source, Scheduler* scheduler, SourceOutput* output,
                      std::string* outcome);
Task<void> run_sink(Sink* sink, std::string* outcome);

/// A sink built by its registered factory from `yaml` (component `name`), running in its own
/// loop. feed() hands it events; finish() stops it and runs until it has ended.
struct SinkHarness {
    SinkHarness(const std::string& yaml, const std::string& name);
    explicit SinkHarness(const ComponentConfig& config);
    ~SinkHarness();
    void feed(const std::vector<std::string>& json_lines);
    /// stop() and run until run() has returned; returns whether it did in time.
    bool finish(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ComponentStatus& status() { return sink->status(); }

    Scheduler scheduler;
    Scope scope{scheduler};
    std::unique_ptr<Sink> sink;
    std::string outcome;
};

/// A pair of pseudo-terminals joined by socat: what is written to one end comes out of the
/// other, like a serial cable. a() is for sluice, b() for the test. stop() kills socat (an
/// unplug); start() again re-creates the pair at the same paths (a replug).
class PtyPair {
public:
    explicit PtyPair(std::string dir);
    ~PtyPair();
    void start();
    void stop();
    const std::string& a() const { return a_; }
    const std::string& b() const { return b_; }
    /// Opens b() non-blocking and raw (reopened after each start()).
    int peer();
    /// Writes all of `bytes` to the peer end.
    void write(std::string_view bytes);
    /// Reads what the peer end has now (non-blocking), appended to `out`.
    void read_into(std::string& out);

private:
    std::string a_, b_;
    std::unique_ptr<sluice::test::Process> socat_;
    int peer_ = -1;
};

/// A free TCP/UDP port on 127.0.0.1 (bound and released; good enough on a test machine).
int free_port(int type);

/// Blocking loopback clients and servers for peers that run in a thread.
int connect_tcp(int port);
int listen_tcp(int port);
bool write_all(int fd, std::string_view bytes);
std::string read_all(int fd);

/// A loopback port whose listener's accept queue is full, so the kernel drops every further
/// SYN to it: a connect there hangs as it would to a host that drops packets.
class SilentPort {
public:
    SilentPort();
    ~SilentPort();
    SilentPort(const SilentPort&) = delete;
    SilentPort& operator=(const SilentPort&) = delete;
    int port() const { return port_; }

private:
    int listener_ = -1;
    int port_ = 0;
    std::vector<int> queued_; // connections that fill the accept queue
};

} // namespace sluice::testing
