#include "bench/support/args.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace sluice::bench {

namespace {
bool listed(std::initializer_list<std::string_view> list, std::string_view key) {
    return std::find(list.begin(), list.end(), key) != list.end();
}
} // namespace

Args::Args(int argc, char** argv, std::initializer_list<std::string_view> keys,
           std::initializer_list<std::string_view> flags) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.substr(0, 2) != "--") {
            throw std::runtime_error("unexpected argument '" + std::string(arg) + "'");
        }
        auto key = std::string(arg.substr(2));
        if (listed(flags, key)) {
            values_[key] = "1";
        } else if (listed(keys, key)) {
            if (i + 1 >= argc) {
                throw std::runtime_error("--" + key + " needs a value");
            }
            values_[key] = argv[++i];
        } else {
            throw std::runtime_error("unknown option --" + key);
        }
    }
}

std::string Args::text(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
        throw std::runtime_error("--" + key + " is required");
    }
    return it->second;
}

std::int64_t Args::integer(const std::string& key, std::int64_t fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
        return fallback;
    }
    std::int64_t value = 0;
    const auto& s = it->second;
    auto result = std::from_chars(s.data(), s.data() + s.size(), value);
    if (result.ec != std::errc{} || result.ptr != s.data() + s.size()) {
        throw std::runtime_error("--" + key + " expects an integer, got '" + s + "'");
    }
    return value;
}

double Args::number(const std::string& key, double fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        double value = std::stod(it->second, &used);
        if (used == it->second.size()) {
            return value;
        }
    } catch (const std::exception&) {
    }
    throw std::runtime_error("--" + key + " expects a number, got '" + it->second + "'");
}

} // namespace sluice::bench
