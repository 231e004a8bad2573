#include "pipeline/codec/kv_encoder.hpp"

#include "pipeline/codec/csv_encoder.hpp"
#include "pipeline/codec/text_format.hpp"

namespace sluice {
namespace {

bool needs_quotes(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"' || c == '\\') {
            return true;
        }
    }
    return reads_as_other_type(text);
}

void append_quoted(std::string& out, std::string_view text) {
    out.push_back('"');
    for (char c : text) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.push_back(c);
        }
    }
    out.push_back('"');
}

} // namespace

void KvEncoder::encode(const Event& event, std::string& out) {
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        if (i > 0) {
            out.push_back(' ');
        }
        out.append(symbol_name(event.name_at(i)));
        out.push_back('=');
        auto value = event.value_at(i);
        if (value.is_string() && needs_quotes(value.as_string())) {
            append_quoted(out, value.as_string());
        } else {
            append_plain(out, value);
        }
    }
    out.push_back('\n');
}

} // namespace sluice
