#include "daemon/cli.hpp"

#include "config/load.hpp"
#include "daemon/app.hpp"
#include "daemon/client.hpp"
#include "daemon/registry.hpp"
#include "daemon/socket_path.hpp"
#include "daemon/version.hpp"
#include "drivers/log.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

namespace {

constexpr const char* kDefaultConfig = "/etc/sluice/sluice.yaml";

constexpr const char* kUsage = R"(usage:
  sluice run    -c FILE                  run the pipeline in the foreground
  sluice check  -c FILE [--print]        validate FILE; --print shows the effective config
  sluice status [-s SOCK] [--json]       table (or JSON) of every component's state and counters
  sluice tap    NAME [-n N] [-s SOCK]    print live events leaving component NAME as JSON lines
  sluice reload [-s SOCK]                reload the configuration file; prints the outcome
  sluice version
status, tap and reload find the socket from daemon.status_socket of -c FILE
(default /etc/sluice/sluice.yaml) unless -s names it.
)";

struct Args {
    std::string command;
    std::string config; // kDefaultConfig once parsed, unless -c names one
    std::string socket; // empty: from the config
    std::string component;
    std::uint64_t limit = 0;
    bool print = false;
    bool reference = false;
    bool json = false;
    bool help = false;
};

int usage_error(const std::string& message) {
    std::cerr << "sluice: " << message << "\n" << kUsage;
    return 2;
}

bool is_client_command(const std::string& command) {
    return command == "status" || command == "tap" || command == "reload";
}

/// Handles one flag that takes a value; false and `error` when it cannot.
bool take_value(const std::vector<std::string>& words, std::size_t& i, Args& args,
                std::string& error) {
    const auto& word = words[i];
    if (i + 1 >= words.size()) {
        error = word + " needs a value";
        return false;
    }
    const auto& value = words[++i];
    if (value.empty()) {
        // An empty path would otherwise read as "not given" and fall back to a default.
        error = word + " needs a value, got an empty one";
        return false;
    }
    // A second file or socket would silently win over the first: say so instead.
    auto once = [&](std::string& slot, const char* what) {
        if (!slot.empty()) {
            error = word + " given twice, expected one " + what;
            return false;
        }
        slot = value;
        return true;
    };
    if (word == "-c" || word == "--config") {
        return once(args.config, "configuration file");
    }
    if (word == "-s" || word == "--socket") {
        return once(args.socket, "status socket");
    }
    auto result = std::from_chars(value.data(), value.data() + value.size(), args.limit);
    if (result.ec != std::errc() || result.ptr != value.data() + value.size()) {
        error = word + " needs a whole number of events, got '" + value + "'";
        return false;
    }
    return true;
}

bool takes_value(const std::string& word, const std::string& command) {
    if (word == "-c" || word == "--config") {
        return true;
    }
    if (word == "-s" || word == "--socket") {
        return is_client_command(command);
    }
    return (word == "-n" || word == "--limit") && command == "tap";
}

std::optional<Args> parse_args(int argc, char** argv, std::string& error) {
    Args args;
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) {
        error = "missing command";
        return std::nullopt;
    }
    args.command = words[0];
    for (std::size_t i = 1; i < words.size(); ++i) {
        const auto& word = words[i];
        if (word == "--help" || word == "-h") {
            args.help = true; // `sluice status --help`: the usage, whatever else is there
            return args;
        }
        if (takes_value(word, args.command)) {
            if (!take_value(words, i, args, error)) {
                return std::nullopt;
            }
        } else if (word == "--print" && args.command == "check") {
            args.print = true;
        } else if (word == "--reference" && args.command == "check") {
            args.reference = true;
        } else if (word == "--json" && args.command == "status") {
            args.json = true;
        } else if (args.command == "tap" && args.component.empty() && !word.starts_with("-")) {
            args.component = word;
        } else {
            error = "unexpected argument '" + word + "'";
            return std::nullopt;
        }
    }
    if (args.command == "tap" && args.component.empty()) {
        error = "tap needs the NAME of a component";
        return std::nullopt;
    }
    if (args.config.empty()) {
        args.config = kDefaultConfig;
    }
    return args;
}

void configure_logging(const std::string& level_text) {
    Log::set_journal(std::getenv("JOURNAL_STREAM") != nullptr);
    LogLevel level = LogLevel::info;
    if (parse_log_level(level_text, level)) {
        Log::set_level(level);
    }
}

/// Loads and builds the configuration; prints every diagnostic. nullopt when invalid.
std::optional<PipelineConfig> load(const std::string& path, Scheduler& scheduler,
                                   std::optional<BuiltPipeline>* built) {
    Diagnostics diagnostics(path);
    auto config = load_config_file(path, builtin_registry(), diagnostics);
    if (config) {
        auto pipeline = build_pipeline(*config, scheduler, diagnostics);
        if (built) {
            *built = std::move(pipeline);
        }
    }
    std::cerr << diagnostics.format_all();
    if (!config || diagnostics.has_errors()) {
        return std::nullopt;
    }
    return config;
}

int command_check(const Args& args) {
    if (args.reference) {
        std::cout << config_reference_markdown(builtin_registry());
        return 0;
    }
    Scheduler scheduler;
    auto config = load(args.config, scheduler, nullptr);
    if (!config) {
        return 1;
    }
    if (args.print) {
        std::cout << print_config(*config);
    }
    return 0;
}

int command_run(const Args& args) {
    // Loading can take a while; a SIGHUP meanwhile must not end the daemon.
    hold_reload_signal();
    Scheduler scheduler;
    std::optional<BuiltPipeline> built;
    auto config = load(args.config, scheduler, &built);
    if (!config || !built) {
        return 1;
    }
    configure_logging(config->daemon.log_level);
    int code = 0;
    {
        App app(std::move(*config), scheduler, std::move(*built));
        code = app.run();
    }
    if (!scheduler.close()) {
        log_error("", "handles still open at exit");
    }
    return code;
}

int command_client(const Args& args) {
    std::string socket = args.socket;
    if (socket.empty()) {
        std::string error;
        auto found = socket_from_config(args.config, error);
        if (!found) {
            std::cerr << "sluice: cannot find the status socket from " << args.config << ": "
                      << error << "\nsluice: name it with -s SOCK or the config with -c FILE\n";
            return 1;
        }
        socket = *found;
    }
    if (args.command == "status") {
        return run_status_command(socket, args.json);
    }
    if (args.command == "tap") {
        return run_tap_command(socket, args.component, args.limit);
    }
    return run_reload_command(socket);
}

} // namespace

int cli_main(int argc, char** argv) {
    std::string error;
    auto args = parse_args(argc, argv, error);
    if (!args) {
        return usage_error(error);
    }
    if (args->help) {
        std::cout << kUsage;
        return 0;
    }
    if (args->command == "version" || args->command == "--version") {
        std::cout << "sluice " << kVersion << "\n";
        return 0;
    }
    if (args->command == "run") {
        return command_run(*args);
    }
    if (args->command == "check") {
        return command_check(*args);
    }
    if (is_client_command(args->command)) {
        return command_client(*args);
    }
    if (args->command == "help" || args->command == "--help" || args->command == "-h") {
        std::cout << kUsage;
        return 0;
    }
    return usage_error("unknown command '" + args->command + "'");
}

} // namespace sluice
