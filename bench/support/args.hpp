#pragma once
// A small `--key value` command-line reader for the benchmark tools.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sluice::bench {

/// Options given as `--key value` or `--flag`. Every tool lists the keys it knows; an unknown
/// key, a missing value or a malformed number throws std::runtime_error with a message.
class Args {
public:
    /// `flags` are the keys that take no value; every other key takes one.
    Args(int argc, char** argv, std::initializer_list<std::string_view> keys,
         std::initializer_list<std::string_view> flags = {});

    bool has(const std::string& key) const { return values_.count(key) != 0; }
    std::string text(const std::string& key, const std::string& fallback = "") const;
    std::int64_t integer(const std::string& key, std::int64_t fallback) const;
    double number(const std::string& key, double fallback) const;
    /// The value of a key the tool cannot work without.
    std::string required(const std::string& key) const;

private:
    std::map<std::string, std::string> values_;
};

} // namespace sluice::bench
