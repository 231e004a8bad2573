#include "bench/support/latency.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sluice::bench {

namespace {
std::int64_t rank(const std::vector<std::int64_t>& sorted, double quantile) {
    auto n = static_cast<double>(sorted.size());
    auto index = static_cast<std::size_t>(std::ceil(quantile * n));
    index = std::clamp<std::size_t>(index, 1, sorted.size()) - 1;
    return sorted[index];
}

void separate(std::string& out, const char* key) {
    if (!out.empty() && out.back() != '{') {
        out.push_back(',');
    }
    out.push_back('"');
    out.append(key);
    out.append("\":");
}
} // namespace

LatencyRecorder::Summary LatencyRecorder::summary() {
    Summary s;
    if (samples_.empty()) {
        return s;
    }
    std::sort(samples_.begin(), samples_.end());
    s.p50 = rank(samples_, 0.50);
    s.p99 = rank(samples_, 0.99);
    s.p999 = rank(samples_, 0.999);
    s.max = samples_.back();
    return s;
}

void json_field(std::string& out, const char* key, std::int64_t value) {
    separate(out, key);
    out.append(std::to_string(value));
}

void json_field(std::string& out, const char* key, double value) {
    separate(out, key);
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value);
    out.append(text);
}

void json_field(std::string& out, const char* key, const std::string& value) {
    separate(out, key);
    out.push_back('"');
    for (char c : value) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c < 0x20 ? ' ' : c);
    }
    out.push_back('"');
}

} // namespace sluice::bench
