#include "pipeline/codec/kv_decoder.hpp"

#include "pipeline/codec/scalar.hpp"

namespace sluice {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

} // namespace

bool KvDecoder::read_quoted(std::string_view frame, std::size_t& i, std::string& error) {
    scratch_.clear();
    for (; i < frame.size(); ++i) {
        char c = frame[i];
        if (c == '"') {
            ++i;
            if (i < frame.size() && !is_space(frame[i])) {
                error = "unexpected text after a closing quote";
                return false;
            }
            return true;
        }
        if (c != '\\') {
            scratch_.push_back(c);
            continue;
        }
        if (++i >= frame.size()) {
            break;
        }
        switch (frame[i]) {
        case '"':
        case '\\':
            scratch_.push_back(frame[i]);
            break;
        case 'n':
            scratch_.push_back('\n');
            break;
        case 'r':
            scratch_.push_back('\r');
            break;
        case 't':
            scratch_.push_back('\t');
            break;
        default:
            error = "invalid escape in quoted value";
            return false;
        }
    }
    error = "unterminated quoted value";
    return false;
}

DecodeStatus KvDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    std::size_t i = 0;
    std::uint32_t index = 0;
    for (;;) {
        while (i < frame.size() && is_space(frame[i])) {
            ++i;
        }
        if (i >= frame.size()) {
            break;
        }
        auto key_start = i;
        while (i < frame.size() && frame[i] != '=' && !is_space(frame[i])) {
            ++i;
        }
        auto key = frame.substr(key_start, i - key_start);
        if (key.empty()) {
            error = "expected a key before '='";
            return DecodeStatus::error;
        }
        auto symbol = symbols_.lookup(index++, key);
        if (!symbol) {
            error = "too many distinct field names";
            return DecodeStatus::error;
        }
        if (i >= frame.size() || frame[i] != '=') {
            out.set(*symbol, Value::boolean(true));
            continue;
        }
        ++i;
        if (i < frame.size() && frame[i] == '"') {
            ++i;
            if (!read_quoted(frame, i, error)) {
                return DecodeStatus::error;
            }
            out.set(*symbol, Value::string(scratch_));
            continue;
        }
        auto value_start = i;
        while (i < frame.size() && !is_space(frame[i])) {
            ++i;
        }
        out.set(*symbol, typed_scalar(frame.substr(value_start, i - value_start)));
    }
    return index == 0 ? DecodeStatus::skip : DecodeStatus::event;
}

} // namespace sluice
