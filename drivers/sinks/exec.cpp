#include "drivers/sinks/exec.hpp"

#include "drivers/runtime/errors.hpp"

#include <csignal>
#include <cstdlib>

namespace sluice {

namespace {

constexpr OptionSpec kOptions[] = {
    {"command", OptionType::string_list, "",
     "The program and its arguments, e.g. [/usr/bin/relay, set, \"{state}\"]. Each element is a "
     "template filled from the event; no shell is involved.",
     true},
    {"env", OptionType::string_map, "",
     "Environment variables for the program: NAME: template, e.g. TEMP: \"{temp}\"."},
    {"pass_env", OptionType::string_list, "",
     "Names of the daemon's environment variables to pass on (never NOTIFY_SOCKET)."},
    {"max_concurrent",
     OptionType::integer,
     "4",
     "Most programs running at once; further events wait.",
     false,
     {},
     1,
     1024},
    {"timeout", OptionType::duration, "10s",
     "Kill the program's whole process group (SIGKILL) after this long (0s: never)."},
};

constexpr const char* kPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::optional<CompiledTemplate> compile(const ConfigNode& node, Diagnostics& diagnostics) {
    std::string error;
    auto compiled = CompiledTemplate::compile(node.text(), error);
    if (!compiled) {
        diagnostics.error(node.position(), "invalid template '" + node.text() + "': " + error);
    }
    return compiled;
}

} // namespace

std::span<const OptionSpec> exec_sink_options() {
    return kOptions;
}

ExecSink::ExecSink(const ComponentConfig& config, Scheduler& scheduler)
    : Sink(config, scheduler), scheduler_(scheduler), slot_free_(scheduler) {}

ExecSink::~ExecSink() {
    // A child still running here was abandoned by an aborted shutdown: do not leave it behind.
    for (auto& child : children_) {
        child.kill_group(SIGKILL);
    }
}

std::unique_ptr<Sink> ExecSink::make(const ComponentConfig& config, Diagnostics& diagnostics,
                                     Scheduler& scheduler) {
    std::unique_ptr<ExecSink> sink(new ExecSink(config, scheduler));
    return sink->configure(config, diagnostics) ? std::move(sink) : nullptr;
}

bool ExecSink::configure(const ComponentConfig& config, Diagnostics& diagnostics) {
    auto errors_before = diagnostics.error_count();
    Options options(config.options, diagnostics);
    if (const auto* command = options.node("command"); command && command->size() > 0) {
        for (const auto& item : command->items()) {
            if (auto compiled = compile(item, diagnostics)) {
                argv_.push_back(std::move(*compiled));
            }
        }
    } else {
        diagnostics.error(config.position, "exec sink '" + config.name +
                                               "' needs 'command', expected a list such as "
                                               "[/usr/bin/logger, \"{msg}\"]");
    }
    if (const auto* env = options.node("env"); env && env->is_mapping()) {
        for (std::size_t i = 0; i < env->size(); ++i) {
            if (auto compiled = compile(env->items()[i], diagnostics)) {
                env_.emplace_back(env->keys()[i], std::move(*compiled));
            }
        }
    }
    base_env_.emplace_back(kPath);
    for (const auto& name : options.strings("pass_env")) {
        const char* value = std::getenv(name.c_str());
        if (name != "NOTIFY_SOCKET" && name != "PATH" && value) {
            base_env_.push_back(name + "=" + value);
        }
    }
    max_concurrent_ = static_cast<std::size_t>(options.integer("max_concurrent", 4));
    timeout_ms_ =
        static_cast<std::uint64_t>(options.duration("timeout", 10'000'000'000) / 1'000'000);
    if (auto settings = actuator_settings(config, diagnostics)) {
        if (settings->safe_state) {
            diagnostics.error(options.position("safe_state"),
                              "exec actuators have no safe_state, expected a sink type that "
                              "writes bytes (serial, tcp_client, unix, udp, file)");
        }
        actuator_ = std::make_unique<Actuator>(std::move(*settings), scheduler_, status_,
                                               static_cast<CommandPort&>(*this));
    }
    return diagnostics.error_count() == errors_before;
}

void ExecSink::render(const Event& event, std::string& out) {
    out += std::to_string(argv_.size());
    out += '\0';
    for (const auto& part : argv_) {
        part.render(event, out);
        out += '\0';
    }
    for (const auto& [name, value] : env_) {
        out += name;
        out += '=';
        value.render(event, out);
        out += '\0';
    }
}

Task<void> ExecSink::open() {
    watchers_ = std::make_unique<Scope>(scheduler_, log_failures(LogLevel::warn));
    if (actuator_) {
        actuator_->start();
    }
    co_return;
}

Task<void> ExecSink::write(std::span<const Event> events) {
    rendered_.clear();
    ends_.clear();
    for (const auto& event : events) {
        render(event, rendered_);
        ends_.push_back(static_cast<std::uint32_t>(rendered_.size()));
    }
    if (actuator_) {
        co_await actuator_->deliver(rendered_, ends_);
        co_return;
    }
    std::uint32_t begin = 0;
    for (auto end : ends_) {
        co_await start(std::string_view(rendered_).substr(begin, end - begin));
        begin = end;
    }
}

Task<void> ExecSink::send_command(std::string_view command) {
    co_await start(command);
}

Task<void> ExecSink::start(std::string_view command) {
    while (children_.size() >= max_concurrent_) {
        if (cancelled_) {
            throw Cancelled{};
        }
        co_await slot_free_.wait();
    }
    if (cancelled_) {
        throw Cancelled{};
    }
    // Split the serialised command back into argv and environment.
    args_.clear();
    environment_ = base_env_;
    std::size_t argc = 0;
    std::size_t index = 0;
    while (!command.empty()) {
        auto nul = command.find('\0');
        auto part = command.substr(0, nul);
        command.remove_prefix(nul == std::string_view::npos ? command.size() : nul + 1);
        if (index == 0) {
            argc = static_cast<std::size_t>(std::strtoul(std::string(part).c_str(), nullptr, 10));
        } else if (index <= argc) {
            args_.emplace_back(part);
        } else {
            environment_.emplace_back(part);
        }
        ++index;
    }
    if (args_.empty() || args_.front().empty()) {
        status_.record_error("empty command");
        co_return;
    }
    try {
        children_.push_back(ChildProcess::spawn(scheduler_, args_, environment_, timeout_ms_));
    } catch (const IoError& e) {
        ++exits_failed_;
        status_.record_error(e.what());
        log_.write(LogLevel::warn, status_.name, e.what());
        co_return;
    }
    watchers_->spawn(watch(&children_.back()), status_.name);
}

Task<void> ExecSink::watch(ChildProcess* child) {
    auto exit = co_await child->wait();
    if (exit.timed_out) {
        ++timeouts_;
        ++exits_failed_;
        status_.record_error("command timed out; its process group was killed");
        log_.write(LogLevel::warn, status_.name, "command timed out; killed its process group");
    } else if (exit.signal != 0) {
        ++exits_failed_;
        status_.record_error("command killed by signal " + std::to_string(exit.signal));
    } else if (exit.status != 0) {
        ++exits_failed_;
        status_.record_error("command exited with status " + std::to_string(exit.status));
        log_.write(LogLevel::warn, status_.name,
                   "command exited with status " + std::to_string(exit.status));
    } else {
        ++exits_ok_;
    }
    children_.remove_if([child](const ChildProcess& c) { return &c == child; });
    slot_free_.notify();
}

Task<void> ExecSink::close() {
    if (actuator_) {
        co_await actuator_->finish();
    }
    // Programs still running finish (their timeout bounds them); an abort kills them.
    if (watchers_) {
        co_await watchers_->join();
    }
}

void ExecSink::cancel_io() {
    cancelled_ = true;
    if (actuator_) {
        actuator_->cancel();
    }
    for (auto& child : children_) {
        child.kill_group(SIGKILL);
    }
    slot_free_.notify();
}

} // namespace sluice
