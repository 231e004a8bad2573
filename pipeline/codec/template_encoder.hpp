#pragma once
// Events rendered through a text template (device commands).

#include "pipeline/codec/encoder.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

class Options;

/// A template compiled once: literal text and placeholders {field}, {field:.Nf} (fixed, N
/// decimals, 0-17), {field:d} (integer, rounded half away from zero), with {{ and }} for literal
/// braces.
class CompiledTemplate {
public:
    enum class Format : std::uint8_t { plain, fixed, integer };
    struct Part {
        std::uint32_t literal_offset; // literal text before the placeholder, in literals_
        std::uint32_t literal_length;
        Symbol field; // 0 for the trailing literal
        Format format;
        std::uint8_t decimals;
    };

    /// Compiles `text`; on a bad template returns nullopt and sets `error` (with the offset).
    static std::optional<CompiledTemplate> compile(std::string_view text, std::string& error);

    void render(const Event& event, std::string& out) const;

private:
    std::string literals_;
    std::vector<Part> parts_;
};

/// Renders each event through the template: {field} writes the value as text (a missing or
/// null field writes nothing), :.Nf formats a number with N decimals and :d as a rounded
/// integer (bools as 1/0 for both); strings pass through either unchanged.
class TemplateEncoder final : public Encoder {
public:
    explicit TemplateEncoder(CompiledTemplate compiled) : template_(std::move(compiled)) {}
    void encode(const Event& event, std::string& out) override { template_.render(event, out); }

private:
    CompiledTemplate template_;
};

/// The check of a `template` option (OptionSpec::check): "" when `text` compiles.
std::string check_template(std::string_view text);

/// Builds a TemplateEncoder from the `template` option; reports a missing template at the
/// `encode` option, a bad one at the template, and returns nullptr.
std::unique_ptr<Encoder> make_template_encoder(const Options& options);

} // namespace sluice
