#include "tests/support/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sluice::test {

namespace {

std::string env_or(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value ? value : fallback;
}

int decode_status(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}

int open_or_die(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) {
        std::_Exit(127);
    }
    return fd;
}

} // namespace

std::string sluice_binary() {
    return env_or("SLUICE_BIN", SLUICE_DEFAULT_BIN);
}
std::string source_dir() {
    return env_or("SLUICE_SOURCE_DIR", SLUICE_DEFAULT_SOURCE_DIR);
}

Process::Process(std::vector<std::string> argv, Options options) {
    static int counter = 0;
    auto base = std::filesystem::temp_directory_path().string() + "/sluice-test-" +
                std::to_string(getpid()) + "-" + std::to_string(counter++);
    owns_stdout_ = options.stdout_path.empty();
    stdout_path_ = owns_stdout_ ? base + ".out" : options.stdout_path;
    stderr_path_ = base + ".err";
    pid_ = fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        int in =
            open_or_die(options.stdin_path.empty() ? "/dev/null" : options.stdin_path, O_RDONLY);
        int out = open_or_die(stdout_path_, O_WRONLY | O_CREAT | O_TRUNC);
        int err = open_or_die(stderr_path_, O_WRONLY | O_CREAT | O_TRUNC);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        for (const auto& entry : options.env) {
            putenv(const_cast<char*>(entry.c_str()));
        }
        std::vector<char*> args;
        for (auto& arg : argv) {
            args.push_back(arg.data());
        }
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::_Exit(127);
    }
}

Process::~Process() {
    if (!exit_code_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    std::filesystem::remove(stderr_path_, ignored);
    if (owns_stdout_) {
        std::filesystem::remove(stdout_path_, ignored);
    }
}

void Process::signal(int signum) {
    if (!exit_code_) {
        ::kill(pid_, signum);
    }
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (exit_code_) {
        return exit_code_;
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int status = 0;
        auto reaped = waitpid(pid_, &status, WNOHANG);
        if (reaped == pid_) {
            exit_code_ = decode_status(status);
            return exit_code_;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

Process::Termination Process::terminate(std::chrono::milliseconds timeout) {
    auto start = std::chrono::steady_clock::now();
    signal(SIGTERM);
    auto code = wait(timeout);
    return {code, std::chrono::steady_clock::now() - start};
}

std::string Process::stdout_text() const {
    return read_file(stdout_path_);
}
std::string Process::stderr_text() const {
    return read_file(stderr_path_);
}

RunResult run(std::vector<std::string> argv, Process::Options options,
              std::chrono::milliseconds timeout) {
    Process process(std::move(argv), std::move(options));
    auto code = process.wait(timeout);
    return {code.value_or(-1), process.stdout_text(), process.stderr_text()};
}

TempDir::TempDir() {
    auto pattern = std::filesystem::temp_directory_path().string() + "/sluice-test-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = buffer.data();
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    auto full = file(name);
    std::ofstream(full, std::ios::binary) << content;
    return full;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

} // namespace sluice::test
