#include "pipeline/codec/scalar.hpp"

#include <charconv>
#include <cmath>

namespace sluice {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

/// Whether `text` has the JSON number shape; sets `whole` when it has no fraction or exponent.
bool number_shape(std::string_view text, bool& whole) {
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t start = i;
        while (i < text.size() && is_digit(text[i])) {
            ++i;
        }
        return i - start;
    };
    if (i < text.size() && text[i] == '-') {
        ++i;
    }
    std::size_t start = i;
    auto count = digits();
    if (count == 0 || (count > 1 && text[start] == '0')) {
        return false;
    }
    whole = true;
    if (i < text.size() && text[i] == '.') {
        ++i;
        if (digits() == 0) {
            return false;
        }
        whole = false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            ++i;
        }
        if (digits() == 0) {
            return false;
        }
        whole = false;
    }
    return i == text.size();
}

} // namespace

Value typed_scalar(std::string_view text) {
    if (text.empty()) {
        return Value::null();
    }
    char first = text.front();
    if (first == 't' || first == 'T' || first == 'f' || first == 'F') {
        if (text == "true" || text == "True" || text == "TRUE") {
            return Value::boolean(true);
        }
        if (text == "false" || text == "False" || text == "FALSE") {
            return Value::boolean(false);
        }
        return Value::string(text);
    }
    bool whole = false;
    if ((first != '-' && !is_digit(first)) || !number_shape(text, whole)) {
        return Value::string(text);
    }
    const char* end = text.data() + text.size();
    if (whole) {
        std::int64_t i = 0;
        auto result = std::from_chars(text.data(), end, i);
        if (result.ec == std::errc{} && result.ptr == end) {
            return Value::integer(i);
        }
    }
    double d = 0;
    auto result = std::from_chars(text.data(), end, d);
    if (result.ec != std::errc{} || !std::isfinite(d)) {
        return Value::string(text);
    }
    return Value::number(d);
}

} // namespace sluice
