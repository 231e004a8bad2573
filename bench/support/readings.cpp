#include "bench/support/readings.hpp"

#include <charconv>

namespace sluice::bench {

namespace {
void append_int(std::string& out, std::uint64_t value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, static_cast<std::size_t>(result.ptr - digits));
}

void append_tenths(std::string& out, std::uint32_t tenths) {
    append_int(out, tenths / 10);
    out.push_back('.');
    out.push_back(static_cast<char>('0' + tenths % 10));
}
} // namespace

std::uint32_t Readings::tenths(std::uint64_t seq) const {
    auto wiggle = static_cast<std::uint32_t>(seq % 9);
    return hot(seq) ? 905 + wiggle : 200 + wiggle;
}

void Readings::json(std::string& out, std::uint64_t seq, std::int64_t ts_us) const {
    out.append("{\"sensor\":\"t");
    append_int(out, seq % sensors);
    out.append("\",\"temp\":");
    append_tenths(out, tenths(seq));
    out.append(",\"ts\":");
    append_int(out, static_cast<std::uint64_t>(ts_us));
    out.append(",\"seq\":");
    append_int(out, seq);
    out.append("}\n");
}

void Readings::influx(std::string& out, std::uint64_t seq) const {
    out.append("temps,sensor=t");
    append_int(out, seq % sensors);
    out.append(" temp=");
    append_tenths(out, tenths(seq));
    out.append(",seq=");
    append_int(out, seq);
    out.append("i\n");
}

bool find_json_int(std::string_view line, std::string_view quoted_key_colon, std::int64_t& out) {
    auto at = line.find(quoted_key_colon);
    if (at == std::string_view::npos) {
        return false;
    }
    const char* p = line.data() + at + quoted_key_colon.size();
    auto result = std::from_chars(p, line.data() + line.size(), out);
    return result.ec == std::errc{};
}

} // namespace sluice::bench
