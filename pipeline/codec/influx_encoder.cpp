#include "pipeline/codec/influx_encoder.hpp"

#include "pipeline/codec/text_format.hpp"
#include "pipeline/options.hpp"

#include <algorithm>
#include <cmath>

namespace sluice {
namespace {

/// Appends `text` with a backslash before each of `special`; line breaks become \n.
void append_escaped(std::string& out, std::string_view text, std::string_view special) {
    for (char c : text) {
        if (c == '\n') {
            out.append("\\n");
            continue;
        }
        if (c == '\r') {
            out.append("\\r");
            continue;
        }
        if (special.find(c) != std::string_view::npos) {
            out.push_back('\\');
        }
        out.push_back(c);
    }
}

constexpr std::string_view kNameSpecial = ", =";

} // namespace

bool InfluxEncoder::is_tag(Symbol name) const {
    return std::find(tags_.begin(), tags_.end(), name) != tags_.end();
}

int InfluxEncoder::append_fields(const Event& event, std::string& out) const {
    int written = 0;
    for (std::uint32_t i = 0; i < event.size(); ++i) {
        auto name = event.name_at(i);
        auto value = event.value_at(i);
        if ((measurement_.empty() && name == measurement_field_) || is_tag(name) ||
            value.is_null() || (value.is_double() && !std::isfinite(value.as_double()))) {
            continue;
        }
        out.push_back(written++ ? ',' : ' ');
        append_escaped(out, symbol_name(name), kNameSpecial);
        out.push_back('=');
        if (value.is_string()) {
            out.push_back('"');
            append_escaped(out, value.as_string(), "\"\\");
            out.push_back('"');
        } else {
            append_plain(out, value);
            if (value.is_int()) {
                out.push_back('i');
            }
        }
    }
    return written;
}

void InfluxEncoder::encode(const Event& event, std::string& out) {
    auto start = out.size();
    if (!measurement_.empty()) {
        append_escaped(out, measurement_, ", ");
    } else if (auto name = event.get(measurement_field_); !name.is_null()) {
        scratch_.clear();
        append_plain(scratch_, name);
        append_escaped(out, scratch_.empty() ? "sluice" : scratch_, ", ");
    } else {
        out.append("sluice");
    }
    for (auto tag : tags_) {
        auto value = event.get(tag);
        auto before = out.size();
        out.push_back(',');
        append_escaped(out, symbol_name(tag), kNameSpecial);
        out.push_back('=');
        auto value_start = out.size();
        scratch_.clear();
        append_plain(scratch_, value);
        append_escaped(out, scratch_, kNameSpecial);
        if (out.size() == value_start) {
            out.resize(before); // Influx has no empty tag values
        }
    }
    if (append_fields(event, out) == 0) {
        out.resize(start);
        ++skipped_;
        return;
    }
    if (event.ts() != 0) {
        out.push_back(' ');
        append_int(out, event.ts());
    }
    out.push_back('\n');
}

std::unique_ptr<Encoder> make_influx_encoder(const Options& options) {
    std::vector<Symbol> tags;
    for (const auto& name : options.strings("tags")) {
        if (!name.empty()) {
            tags.push_back(intern(name));
        }
    }
    return std::make_unique<InfluxEncoder>(
        options.string("measurement"), intern(options.string("measurement_field", "measurement")),
        std::move(tags));
}

} // namespace sluice
