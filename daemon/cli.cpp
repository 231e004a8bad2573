#include "daemon/cli.hpp"

#include "config/load.hpp"
#include "daemon/app.hpp"
#include "daemon/registry.hpp"
#include "drivers/log.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "0.0.0"
#endif

namespace sluice {

namespace {

constexpr const char* kDefaultConfig = "/etc/sluice/sluice.yaml";

constexpr const char* kUsage = R"(usage:
  sluice run    -c FILE            run the pipeline in the foreground
  sluice check  -c FILE [--print]  validate FILE; --print shows the effective config
  sluice version
)";

struct Args {
    std::string command;
    std::string config = kDefaultConfig;
    bool print = false;
    bool reference = false;
};

int usage_error(const std::string& message) {
    std::cerr << "sluice: " << message << "\n" << kUsage;
    return 2;
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
        if (word == "-c" || word == "--config") {
            if (i + 1 >= words.size()) {
                error = word + " needs a file name";
                return std::nullopt;
            }
            args.config = words[++i];
        } else if (word == "--print" && args.command == "check") {
            args.print = true;
        } else if (word == "--reference" && args.command == "check") {
            args.reference = true;
        } else {
            error = "unexpected argument '" + word + "'";
            return std::nullopt;
        }
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

} // namespace

int cli_main(int argc, char** argv) {
    std::string error;
    auto args = parse_args(argc, argv, error);
    if (!args) {
        return usage_error(error);
    }
    if (args->command == "version" || args->command == "--version") {
        std::cout << "sluice " << SLUICE_VERSION << "\n";
        return 0;
    }
    if (args->command == "run") {
        return command_run(*args);
    }
    if (args->command == "check") {
        return command_check(*args);
    }
    if (args->command == "help" || args->command == "--help" || args->command == "-h") {
        std::cout << kUsage;
        return 0;
    }
    return usage_error("unknown command '" + args->command + "'");
}

} // namespace sluice
