#include "pipeline/codec/json_encoder.hpp"

#include "pipeline/codec/text_format.hpp"

#include <cmath>
#include <cstring>

namespace sluice {
namespace {

constexpr std::size_t kMaxCachedKeys = 64;
/// Events whose worst-case text is larger are written piece by piece instead of into room
/// sized for that worst case.
constexpr std::size_t kMaxDirectBytes = 16 * 1024;

std::size_t value_bound(Value value) {
    return value.is_string() ? json_string_bound(value.as_string().size()) : kMaxDoubleChars;
}

char* write_value(char* out, Value value) {
    switch (value.type()) {
    case ValueType::null:
        break;
    case ValueType::boolean:
        if (value.as_bool()) {
            std::memcpy(out, "true", 4);
            return out + 4;
        }
        std::memcpy(out, "false", 5);
        return out + 5;
    case ValueType::integer:
        return write_int(out, value.as_int());
    case ValueType::number:
        if (std::isfinite(value.as_double())) {
            return write_double(out, value.as_double());
        }
        break;
    case ValueType::string:
        return write_json_string(out, value.as_string());
    }
    std::memcpy(out, "null", 4);
    return out + 4;
}

} // namespace

std::size_t JsonEncoder::key_bound(std::uint32_t index, Symbol name) const {
    if (index < keys_.size() && keys_[index].name == name) {
        return CachedKey::kRoom; // write_key copies the whole room
    }
    return json_string_bound(symbol_name(name).size()) + 1;
}

char* JsonEncoder::write_key(char* out, std::uint32_t index, Symbol name) {
    if (index < keys_.size() && keys_[index].name == name) {
        // A copy of constant size is a few vector moves; a copy of the exact length would be a
        // call to memcpy per field.
        const auto& key = keys_[index];
        std::memcpy(out, key.text, CachedKey::kRoom);
        return out + key.length;
    }
    char* start = out;
    out = write_json_string(out, symbol_name(name));
    *out++ = ':';
    auto length = static_cast<std::size_t>(out - start);
    if (length > CachedKey::kRoom || index > keys_.size() || index >= kMaxCachedKeys) {
        return out;
    }
    if (index == keys_.size()) {
        keys_.emplace_back();
    }
    auto& key = keys_[index];
    key.name = name;
    key.length = static_cast<std::uint32_t>(length);
    std::memcpy(key.text, start, length);
    return out;
}

void JsonEncoder::encode(const Event& event, std::string& out) {
    // One resize to the worst case, direct writes, one resize back: far cheaper than an append
    // per token.
    std::size_t bound = 3; // {}\n
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        bound += 1 + key_bound(i, event.name_at(i)) + value_bound(event.value_at(i));
    }
    if (bound > kMaxDirectBytes) {
        encode_large(event, out);
        return;
    }
    auto old = out.size();
    out.resize(old + bound);
    char* p = out.data() + old;
    *p++ = '{';
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        if (i > 0) {
            *p++ = ',';
        }
        p = write_key(p, i, event.name_at(i));
        p = write_value(p, event.value_at(i));
    }
    *p++ = '}';
    *p++ = '\n';
    out.resize(static_cast<std::size_t>(p - out.data()));
}

void JsonEncoder::encode_large(const Event& event, std::string& out) {
    out.push_back('{');
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        append_json_string(out, symbol_name(event.name_at(i)));
        out.push_back(':');
        auto value = event.value_at(i);
        if (value.is_string()) {
            append_json_string(out, value.as_string());
        } else {
            char buffer[kMaxDoubleChars];
            out.append(buffer, static_cast<std::size_t>(write_value(buffer, value) - buffer));
        }
    }
    out.append("}\n", 2);
}

} // namespace sluice
