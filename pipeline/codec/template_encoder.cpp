#include "pipeline/codec/template_encoder.hpp"

#include "pipeline/codec/text_format.hpp"
#include "pipeline/options.hpp"

#include <charconv>
#include <cmath>

namespace sluice {
namespace {

/// Reads the text after ':' in a placeholder.
bool parse_format(std::string_view spec, CompiledTemplate::Format& format, std::uint8_t& decimals) {
    using Format = CompiledTemplate::Format;
    if (spec.empty()) {
        format = Format::plain;
        return true;
    }
    if (spec == "d") {
        format = Format::integer;
        return true;
    }
    if (spec.size() < 3 || spec.front() != '.' || spec.back() != 'f') {
        return false;
    }
    auto digits = spec.substr(1, spec.size() - 2);
    unsigned n = 0;
    auto result = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (result.ec != std::errc{} || result.ptr != digits.data() + digits.size() || n > 17) {
        return false;
    }
    format = Format::fixed;
    decimals = static_cast<std::uint8_t>(n);
    return true;
}

void append_number(std::string& out, double value, CompiledTemplate::Format format, int decimals) {
    if (!std::isfinite(value)) {
        append_plain(out, Value::number(value));
        return;
    }
    if (format == CompiledTemplate::Format::integer) {
        if (std::fabs(value) < 9.2e18) {
            append_int(out, std::llround(value));
        } else {
            append_plain(out, Value::number(value));
        }
        return;
    }
    char buffer[400];
    auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    if (result.ec == std::errc{}) {
        out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
    }
}

} // namespace

std::optional<CompiledTemplate> CompiledTemplate::compile(std::string_view text,
                                                          std::string& error) {
    CompiledTemplate compiled;
    auto literal_start = compiled.literals_.size();
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool doubled = i + 1 < text.size() && text[i + 1] == c;
        if ((c == '{' || c == '}') && doubled) {
            compiled.literals_.push_back(c);
            ++i;
            continue;
        }
        if (c == '}') {
            error = "single '}' at offset " + std::to_string(i) + " (write }} for a brace)";
            return std::nullopt;
        }
        if (c != '{') {
            compiled.literals_.push_back(c);
            continue;
        }
        auto close = text.find('}', i);
        if (close == std::string_view::npos) {
            error = "unclosed '{' at offset " + std::to_string(i);
            return std::nullopt;
        }
        auto inside = text.substr(i + 1, close - i - 1);
        auto colon = inside.find(':');
        auto name = inside.substr(0, colon);
        Part part{static_cast<std::uint32_t>(literal_start),
                  static_cast<std::uint32_t>(compiled.literals_.size() - literal_start), 0,
                  Format::plain, 0};
        if (name.empty() || name.find('{') != std::string_view::npos) {
            error = "placeholder at offset " + std::to_string(i) + " names no field";
            return std::nullopt;
        }
        auto spec = colon == std::string_view::npos ? std::string_view{} : inside.substr(colon + 1);
        if (!parse_format(spec, part.format, part.decimals)) {
            error = "unknown format '" + std::string(spec) + "' at offset " + std::to_string(i) +
                    " (expected .Nf with N up to 17, or d)";
            return std::nullopt;
        }
        part.field = intern(name);
        compiled.parts_.push_back(part);
        literal_start = compiled.literals_.size();
        i = close;
    }
    compiled.parts_.push_back(
        {static_cast<std::uint32_t>(literal_start),
         static_cast<std::uint32_t>(compiled.literals_.size() - literal_start), 0, Format::plain,
         0});
    return compiled;
}

void CompiledTemplate::render(const Event& event, std::string& out) const {
    for (const auto& part : parts_) {
        out.append(literals_, part.literal_offset, part.literal_length);
        if (part.field == 0) {
            continue;
        }
        auto value = event.get(part.field);
        if (part.format == Format::plain || value.is_string() || value.is_null()) {
            append_plain(out, value);
        } else if (value.is_bool()) {
            append_number(out, value.as_bool() ? 1 : 0, part.format, part.decimals);
        } else if (value.is_int() && part.format == Format::integer) {
            append_int(out, value.as_int());
        } else {
            append_number(out, value.to_double(), part.format, part.decimals);
        }
    }
}

std::string check_template(std::string_view text) {
    std::string error;
    if (CompiledTemplate::compile(text, error)) {
        return {};
    }
    return " (" + error + "), expected text with {field} placeholders and {{ }} for braces";
}

std::unique_ptr<Encoder> make_template_encoder(const Options& options) {
    if (!options.has("template")) {
        options.diagnostics().error(options.position("encode"),
                                    "encode: template needs a 'template' option, expected the "
                                    "text written per event, such as \"FAN {on}\\n\"");
        return nullptr;
    }
    auto text = options.string("template");
    std::string error;
    auto compiled = CompiledTemplate::compile(text, error);
    if (!compiled) {
        options.diagnostics().error(options.position("template"), "invalid value '" + text +
                                                                      "' for 'template'" +
                                                                      check_template(text));
        return nullptr;
    }
    return std::make_unique<TemplateEncoder>(std::move(*compiled));
}

} // namespace sluice
