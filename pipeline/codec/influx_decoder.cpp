#include "pipeline/codec/influx_decoder.hpp"

#include <charconv>
#include <cmath>

namespace sluice {

std::string_view InfluxDecoder::token(std::string_view stops, std::string& buffer) {
    auto start = i_;
    while (i_ < line_.size() && stops.find(line_[i_]) == std::string_view::npos &&
           line_[i_] != '\\') {
        ++i_;
    }
    if (i_ >= line_.size() || line_[i_] != '\\') {
        return line_.substr(start, i_ - start);
    }
    buffer.assign(line_, start, i_ - start);
    while (i_ < line_.size() && stops.find(line_[i_]) == std::string_view::npos) {
        char c = line_[i_++];
        if (c == '\\' && i_ < line_.size() &&
            (line_[i_] == ',' || line_[i_] == ' ' || line_[i_] == '=' || line_[i_] == '\\')) {
            c = line_[i_++];
        }
        buffer.push_back(c);
    }
    return buffer;
}

bool InfluxDecoder::field_symbol(std::string_view name, Symbol& symbol, std::string& error) {
    if (name.empty()) {
        error = "empty name at byte " + std::to_string(i_);
        return false;
    }
    auto found = symbols_.lookup(index_++, name);
    if (!found) {
        error = "too many distinct field names";
        return false;
    }
    symbol = *found;
    return true;
}

bool InfluxDecoder::read_tags(Event& out, std::string& error) {
    while (i_ < line_.size() && line_[i_] == ',') {
        ++i_;
        auto key = token("=, ", key_);
        Symbol symbol = 0;
        if (!field_symbol(key, symbol, error)) {
            return false;
        }
        if (i_ >= line_.size() || line_[i_] != '=') {
            error = "expected '=' after tag key at byte " + std::to_string(i_);
            return false;
        }
        ++i_;
        auto value = token(", ", value_);
        if (value.empty()) {
            error = "empty tag value at byte " + std::to_string(i_);
            return false;
        }
        out.set(symbol, Value::string(value));
    }
    return true;
}

bool InfluxDecoder::read_value(Value& value, std::string& error) {
    if (i_ < line_.size() && line_[i_] == '"') {
        value_.clear();
        for (++i_; i_ < line_.size(); ++i_) {
            char c = line_[i_];
            if (c == '"') {
                ++i_;
                value = Value::string(value_);
                return true;
            }
            if (c == '\\' && i_ + 1 < line_.size() &&
                (line_[i_ + 1] == '"' || line_[i_ + 1] == '\\')) {
                c = line_[++i_];
            }
            value_.push_back(c);
        }
        error = "unterminated string field";
        return false;
    }
    auto start = i_;
    while (i_ < line_.size() && line_[i_] != ',' && line_[i_] != ' ') {
        ++i_;
    }
    auto text = line_.substr(start, i_ - start);
    auto bad = [&] {
        error = "invalid field value '" + std::string(text) + "'";
        return false;
    };
    if (text.empty()) {
        return bad();
    }
    const char* end = text.data() + text.size();
    if (text.back() == 'i' || text.back() == 'u') {
        if (text.back() == 'u' && text.front() == '-') {
            return bad();
        }
        std::int64_t i = 0;
        auto result = std::from_chars(text.data(), end - 1, i);
        if (result.ec != std::errc{} || result.ptr != end - 1) {
            return bad();
        }
        value = Value::integer(i);
        return true;
    }
    if (text == "t" || text == "T" || text == "true" || text == "True" || text == "TRUE") {
        value = Value::boolean(true);
        return true;
    }
    if (text == "f" || text == "F" || text == "false" || text == "False" || text == "FALSE") {
        value = Value::boolean(false);
        return true;
    }
    double d = 0;
    auto result = std::from_chars(text.data(), end, d);
    if (result.ec != std::errc{} || result.ptr != end || !std::isfinite(d)) {
        return bad();
    }
    value = Value::number(d);
    return true;
}

bool InfluxDecoder::read_fields(Event& out, std::string& error) {
    for (;;) {
        auto key = token("=, ", key_);
        Symbol symbol = 0;
        if (!field_symbol(key, symbol, error)) {
            return false;
        }
        if (i_ >= line_.size() || line_[i_] != '=') {
            error = "expected '=' after field key at byte " + std::to_string(i_);
            return false;
        }
        ++i_;
        Value value;
        if (!read_value(value, error)) {
            return false;
        }
        out.set(symbol, value);
        if (i_ >= line_.size() || line_[i_] != ',') {
            return true;
        }
        ++i_;
    }
}

DecodeStatus InfluxDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    while (!frame.empty() && (frame.back() == ' ' || frame.back() == '\r')) {
        frame.remove_suffix(1);
    }
    line_ = frame;
    i_ = line_.find_first_not_of(" \t");
    index_ = 0;
    if (i_ == std::string_view::npos || line_[i_] == '#') {
        return DecodeStatus::skip;
    }
    auto measurement = token(", ", value_);
    if (measurement.empty()) {
        error = "empty measurement";
        return DecodeStatus::error;
    }
    out.set(measurement_, Value::string(measurement));
    if (!read_tags(out, error)) {
        return DecodeStatus::error;
    }
    if (i_ >= line_.size() || line_[i_] != ' ') {
        error = "expected a space and fields after the measurement and tags";
        return DecodeStatus::error;
    }
    while (i_ < line_.size() && line_[i_] == ' ') {
        ++i_;
    }
    if (!read_fields(out, error)) {
        return DecodeStatus::error;
    }
    while (i_ < line_.size() && line_[i_] == ' ') {
        ++i_;
    }
    if (i_ < line_.size()) {
        std::int64_t ts = 0;
        auto result = std::from_chars(line_.data() + i_, line_.data() + line_.size(), ts);
        if (result.ec != std::errc{} || result.ptr != line_.data() + line_.size()) {
            error = "invalid timestamp at byte " + std::to_string(i_);
            return DecodeStatus::error;
        }
        out.set_ts(ts);
    }
    return DecodeStatus::event;
}

} // namespace sluice
