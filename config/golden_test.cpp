// Golden tests: each config/testdata/broken/NAME.yaml must fail to load with exactly the lines
// of NAME.expected; each config/testdata/valid/NAME.yaml must load with no error.
#include "config/load.hpp"
#include "config/test_kinds.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace sluice;

namespace {

fs::path source_dir() {
    const char* dir = std::getenv("SLUICE_SOURCE_DIR");
    return dir ? fs::path(dir) : fs::path(SLUICE_DEFAULT_SOURCE_DIR);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> files_in(const std::string& folder, const std::string& extension) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(source_dir() / folder)) {
        if (entry.path().extension() == extension) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("every broken config fails with exactly its expected errors") {
    auto files = files_in("config/testdata/broken", ".yaml");
    CHECK(files.size() >= 30);
    for (const auto& file : files) {
        // Name files as a user would pass them from the source root, so the expected lines
        // read like real `sluice check` output.
        std::string name = "config/testdata/broken/" + file.filename().string();
        auto expected_path = fs::path(file).replace_extension(".expected");
        INFO(name);
        REQUIRE(fs::exists(expected_path));
        Diagnostics d(name);
        auto config = load_config_text(read_file(file), name, testing::golden_registry(), d);
        CHECK_FALSE(config);
        CHECK(d.format_all() == read_file(expected_path));
    }
}

TEST_CASE("every valid config loads without errors or warnings") {
    for (const auto& file : files_in("config/testdata/valid", ".yaml")) {
        std::string name = "config/testdata/valid/" + file.filename().string();
        INFO(name);
        Diagnostics d(name);
        auto config = load_config_text(read_file(file), name, testing::golden_registry(), d);
        CHECK(config);
        CHECK(d.format_all() == "");
    }
}
