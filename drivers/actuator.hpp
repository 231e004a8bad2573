#pragma once
// Actuators: sinks that command devices, with on_change_only, min_interval and safe_state.

#include "drivers/component.hpp"
#include "drivers/runtime/async_mutex.hpp"
#include "drivers/runtime/scope.hpp"
#include "drivers/runtime/timer.hpp"
#include "pipeline/pipeline_config.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// The actuator options (config/section_options.cpp declares them; `stale_after` too).
struct ActuatorSettings {
    bool on_change_only = false;
    std::uint64_t min_interval_ms = 0;
    std::optional<std::string> safe_state;
    std::uint64_t stale_after_ms = 0; // 0: inputs never go stale
};

/// The settings of an actuator, or nullopt for a plain sink. Reports bad values.
std::optional<ActuatorSettings> actuator_settings(const ComponentConfig& config,
                                                  Diagnostics& diagnostics);

/// Where an actuator's commands go: its sink's transport.
class CommandPort {
public:
    virtual ~CommandPort() = default;
    /// Writes one command (or several back to back), reconnecting as the transport does.
    /// Throws Cancelled once the sink is aborted.
    virtual Task<void> send_command(std::string_view command) = 0;
    /// A write that never waits, for the safe state after the sink was aborted; false if it
    /// could not be done.
    virtual bool send_command_now(std::string_view) { return false; }
    /// Whether each command needs a send of its own (a datagram, a process) rather than
    /// several back to back in one write.
    virtual bool per_command() const { return false; }
    /// A command started or stopped waiting for min_interval (see Actuator::waiting()).
    virtual void waiting_changed() {}
};

/// Decides which rendered commands reach the device, and when.
///
/// - on_change_only: a command equal to the last one written (or to the one waiting to be
///   written) is not sent; it counts as dropped.
/// - min_interval: commands are written at most once per interval. A command that arrives
///   sooner waits; a newer one replaces it (the replaced one counts as dropped), so when the
///   interval has passed the latest command wins. The first command goes out at once.
/// - stale_after + safe_state: when no event has reached the actuator for stale_after, the
///   safe state is written (once) and a waiting command is dropped. The next command after that
///   is written even under on_change_only, since the device now is in its safe state.
/// - safe_state on shutdown: finish() drops a waiting command and writes the safe state,
///   ignoring min_interval; after an abort it still tries a write that does not wait.
///
/// Counting: Sink::run() counts a written batch as sent; deliver() corrects that for events
/// it did not write (dropped, or waiting: those are counted when written or replaced).
class Actuator {
public:
    Actuator(ActuatorSettings settings, Scheduler& scheduler, ComponentStatus& status,
             CommandPort& port);
    ~Actuator();
    Actuator(const Actuator&) = delete;
    Actuator& operator=(const Actuator&) = delete;

    /// Starts the timers (min_interval, stale_after). Call once the transport is open.
    void start();
    /// Takes the commands rendered for one batch of `ends.size()` events: event i's command
    /// is text[ends[i-1], ends[i]) (empty: the encoder rendered nothing). Returns when the
    /// commands due now have been written, so a slow device holds up its sink's queue.
    /// Throws Cancelled after an abort.
    Task<void> deliver(std::string_view text, std::span<const std::uint32_t> ends);
    /// Shutdown: stops the timers and writes the safe state (see above). Never throws.
    Task<void> finish();
    /// The sink was aborted: waits end, and finish() only tries send_command_now().
    void cancel();
    /// The device was reopened and may have reset: forget what was last sent.
    void forget_last_sent() { has_last_ = false; }
    /// Commands taken from the sink's queue that min_interval held back and that are not yet
    /// written or dropped (the one waiting, the one being written): they count in its
    /// queue_depth.
    std::size_t waiting() const { return (has_pending_ ? 1 : 0) + sending_; }

private:
    struct Tally {
        std::uint64_t sent = 0;
        std::uint64_t dropped = 0;
    };
    /// min_interval 0: writes every command of the batch that is due (changes only, under
    /// on_change_only) in one write.
    Task<Tally> write_changes(std::string_view text, std::span<const std::uint32_t> ends);
    /// min_interval: keeps only the latest command for send_pending_loop().
    Tally hold_latest(std::string_view text, std::span<const std::uint32_t> ends);
    Task<void> send_pending_loop();
    Task<void> stale_loop();
    Task<void> write_safe_state(const char* why);
    void replace_pending(std::string_view command);
    void set_pending(bool pending);

    ActuatorSettings settings_;
    Scheduler& scheduler_;
    ComponentStatus& status_;
    CommandPort& port_;
    AsyncMutex mutex_;
    Scope helpers_;
    Timer pending_timer_;
    Timer stale_timer_;
    Notify pending_wake_;
    Notify stale_wake_;
    std::string last_sent_;
    bool has_last_ = false;
    std::string pending_;
    bool has_pending_ = false;
    std::size_t sending_ = 0; // the command send_pending_loop() is writing
    std::string out_;
    std::vector<std::uint32_t> starts_; // where each command in out_ begins, and its end
    std::uint64_t last_send_ms_ = 0;
    bool any_sent_ = false;
    std::uint64_t last_input_ms_ = 0;
    bool safe_applied_ = false;
    bool started_ = false;
    bool stopping_ = false;
    bool cancelled_ = false;
};

} // namespace sluice
