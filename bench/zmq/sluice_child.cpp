#include "bench/zmq/sluice_child.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sluice::bench {

SluiceChild::SluiceChild(const std::string& binary, const std::string& config_yaml) {
    char pattern[] = "/tmp/sluice-bench-zmq-XXXXXX";
    if (!mkdtemp(pattern)) {
        throw std::runtime_error("mkdtemp failed");
    }
    dir_ = pattern;
    auto config = dir_ + "/bench.yaml";
    std::ofstream(config) << config_yaml;
    std::string run = "run";
    std::string flag = "-c";
    char* argv[] = {const_cast<char*>(binary.c_str()), run.data(), flag.data(), config.data(),
                    nullptr};
    if (posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv, environ) != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary);
    }
}

SluiceChild::~SluiceChild() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    std::remove((dir_ + "/bench.yaml").c_str());
    rmdir(dir_.c_str());
}

namespace {

double stat_cpu_seconds(const std::string& path) {
    std::ifstream stat(path);
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    // Fields after the command name, which ends at the last ')': state is field 3, utime 14.
    auto rest = text.substr(text.rfind(')') + 2);
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    std::sscanf(rest.c_str(), "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                &stime);
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

} // namespace

double SluiceChild::cpu_seconds() const {
    return stat_cpu_seconds("/proc/" + std::to_string(pid_) + "/stat");
}

double SluiceChild::loop_cpu_seconds() const {
    auto pid = std::to_string(pid_);
    return stat_cpu_seconds("/proc/" + pid + "/task/" + pid + "/stat");
}

} // namespace sluice::bench
