// The shipped systemd unit: systemd-analyze finds nothing to complain about, and the unit is
// hardened to an exposure level of 2.5 or lower.

#include "tests/support/process.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace sluice::test;

namespace {

/// A copy of systemd/sluice.service that starts the binary under test (verify wants the
/// ExecStart= program to exist).
std::string unit_copy(const TempDir& dir) {
    auto unit = read_file(source_dir() + "/systemd/sluice.service");
    REQUIRE(unit.find("ExecStart=/usr/bin/sluice run") != std::string::npos);
    auto at = unit.find("/usr/bin/sluice");
    unit.replace(at, std::string("/usr/bin/sluice").size(), sluice_binary());
    return dir.write("sluice.service", unit);
}

bool have_systemd_analyze() {
    return ::access("/usr/bin/systemd-analyze", X_OK) == 0;
}

} // namespace

TEST_CASE("systemd-analyze verify reports nothing about the unit") {
    if (!have_systemd_analyze()) {
        WARN("systemd-analyze is not installed (scripts/setup.sh installs it)");
        return;
    }
    TempDir dir;
    auto unit = unit_copy(dir);
    auto result = run({"systemd-analyze", "verify", "--man=no", unit});
    INFO(result.out + result.err);
    CHECK(result.exit_code == 0);
    // verify exits 0 on unknown keys and other warnings: any output is a finding.
    CHECK(result.out.empty());
    CHECK(result.err.empty());
}

TEST_CASE("systemd-analyze security rates the unit's exposure 2.5 or lower") {
    if (!have_systemd_analyze()) {
        WARN("systemd-analyze is not installed (scripts/setup.sh installs it)");
        return;
    }
    TempDir dir;
    auto unit = unit_copy(dir);
    auto result = run({"systemd-analyze", "security", "--offline=true", "--no-pager", unit});
    INFO(result.out + result.err);
    auto text = result.out + result.err;
    const std::string label = "Overall exposure level for sluice.service: ";
    auto at = text.find(label);
    REQUIRE(at != std::string::npos);
    CHECK(std::stod(text.substr(at + label.size())) <= 2.5);
}

TEST_CASE("the unit runs as its own user with the hardening the operations guide promises") {
    auto unit = read_file(source_dir() + "/systemd/sluice.service");
    for (const char* line :
         {"Type=notify\n", "ExecReload=/bin/kill -HUP $MAINPID\n", "User=sluice\n",
          "SupplementaryGroups=dialout\n", "RuntimeDirectory=sluice\n", "ProtectSystem=strict\n",
          "NoNewPrivileges=yes\n", "DevicePolicy=closed\n", "DeviceAllow=char-ttyUSB rw\n",
          "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n",
          "SystemCallFilter=@system-service\n", "WatchdogSec="}) {
        CHECK(unit.find(line) != std::string::npos);
    }
    CHECK(unit.find("PrivateDevices=yes") == std::string::npos);
    auto sysusers = read_file(source_dir() + "/systemd/sluice.sysusers.conf");
    CHECK(sysusers.find("u sluice ") != std::string::npos);
}

TEST_CASE("the example service configuration is valid") {
    auto result = run({sluice_binary(), "check", "-c", source_dir() + "/systemd/sluice.yaml"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
}

TEST_CASE("cmake --install places the binary, the unit, the sysusers entry and the examples") {
    TempDir dir;
    auto prefix = dir.file("usr");
    // The daemon folder's own install script: it holds every rule named here, and unlike the
    // top-level one writes no install_manifest.txt into the build tree.
    auto result = run({"cmake", "-DCMAKE_INSTALL_PREFIX=" + prefix, "-P",
                       std::string(SLUICE_BINARY_DIR) + "/daemon/cmake_install.cmake"});
    INFO(result.out + result.err);
    REQUIRE(result.exit_code == 0);
    for (const char* file :
         {"/bin/sluice", "/lib/systemd/system/sluice.service", "/lib/sysusers.d/sluice.conf",
          "/share/doc/sluice/examples/sluice.yaml", "/share/doc/sluice/examples/demo.yaml",
          "/share/doc/sluice/operations.md"}) {
        CHECK(::access((prefix + file).c_str(), F_OK) == 0);
    }
    auto unit = read_file(prefix + "/lib/systemd/system/sluice.service");
    CHECK(unit.find("ExecStart=" + prefix + "/bin/sluice run -c /etc/sluice/sluice.yaml\n") !=
          std::string::npos);
    if (have_systemd_analyze()) {
        auto verify = run({"systemd-analyze", "verify", "--man=no",
                           prefix + "/lib/systemd/system/sluice.service"});
        INFO(verify.out + verify.err);
        CHECK(verify.exit_code == 0);
        CHECK((verify.out + verify.err).empty());
    }
}
