#include "pipeline/codec/json_encoder.hpp"

#include "pipeline/codec/text_format.hpp"

#include <cmath>

namespace sluice {
namespace {

constexpr std::size_t kMaxCachedKeys = 64;

void append_value(std::string& out, Value value) {
    switch (value.type()) {
    case ValueType::null:
        out.append("null", 4);
        return;
    case ValueType::boolean:
        if (value.as_bool()) {
            out.append("true", 4);
        } else {
            out.append("false", 5);
        }
        return;
    case ValueType::integer:
        append_int(out, value.as_int());
        return;
    case ValueType::number:
        if (std::isfinite(value.as_double())) {
            append_double(out, value.as_double());
        } else {
            out.append("null", 4);
        }
        return;
    case ValueType::string:
        append_json_string(out, value.as_string());
        return;
    }
}

} // namespace

void JsonEncoder::append_key(std::uint32_t index, Symbol name, std::string& out) {
    if (index < keys_.size() && keys_[index].name == name) {
        out.append(keys_[index].text);
        return;
    }
    auto start = out.size();
    append_json_string(out, symbol_name(name));
    out.push_back(':');
    if (index < keys_.size()) {
        keys_[index].name = name;
        keys_[index].text.assign(out, start);
    } else if (index == keys_.size() && index < kMaxCachedKeys) {
        keys_.push_back({name, out.substr(start)});
    }
}

void JsonEncoder::encode(const Event& event, std::string& out) {
    out.push_back('{');
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        append_key(i, event.name_at(i), out);
        append_value(out, event.value_at(i));
    }
    out.append("}\n", 2);
}

} // namespace sluice
