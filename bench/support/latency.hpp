#pragma once
// Latency samples and their percentiles.

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::bench {

/// Collects latencies in microseconds; summary() sorts them once at the end.
class LatencyRecorder {
public:
    void add(std::int64_t us) { samples_.push_back(us); }
    std::size_t count() const { return samples_.size(); }

    struct Summary {
        std::int64_t p50 = 0;
        std::int64_t p99 = 0;
        std::int64_t p999 = 0;
        std::int64_t max = 0;
    };
    /// Nearest-rank percentiles; all zero when there are no samples.
    Summary summary();

private:
    std::vector<std::int64_t> samples_;
};

/// Appends `"key":value` (with a leading comma unless `out` ends in '{') to a JSON object.
void json_field(std::string& out, const char* key, std::int64_t value);
void json_field(std::string& out, const char* key, double value);
void json_field(std::string& out, const char* key, const std::string& value);

} // namespace sluice::bench
