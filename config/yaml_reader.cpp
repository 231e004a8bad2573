#include "config/yaml_reader.hpp"

#include "config/text_checks.hpp"
#include "config/tree_builder.hpp"
#include "pipeline/text_chars.hpp"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <array>
#include <sstream>

namespace sluice {
namespace {

struct SecondDocument {
    Position where;
};

/// Stops at the start of a second document: a configuration file holds exactly one.
class SecondDocumentProbe final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override {
        throw SecondDocument{{static_cast<std::uint32_t>(mark.line + 1),
                              static_cast<std::uint32_t>(mark.column + 1)}};
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

struct Hint {
    std::string_view yaml_cpp_message;
    std::string_view expected;
};

/// What to expect after yaml-cpp's terse messages for the mistakes people make most.
const std::array<Hint, 8> kHints = {{
    {YAML::ErrorMsg::END_OF_SEQ_FLOW, "expected ']' to close the list"},
    {YAML::ErrorMsg::END_OF_MAP_FLOW, "expected '}' to close the mapping"},
    {YAML::ErrorMsg::MAP_VALUE, "expected a nested key on its own line, or quotes around a "
                                "value that contains ': '"},
    {YAML::ErrorMsg::END_OF_MAP, "expected the keys of a mapping to line up"},
    {YAML::ErrorMsg::END_OF_SEQ, "expected the items of a list to line up"},
    {YAML::ErrorMsg::BLOCK_ENTRY, "expected '- ' items only inside a list"},
    {YAML::ErrorMsg::UNKNOWN_ANCHOR, "expected an anchor (&name) defined before the alias"},
    {YAML::ErrorMsg::FLOW_END, "expected ']' or '}' only after a matching '[' or '{'"},
}};

void report_syntax_error(std::string_view text, const YAML::ParserException& e,
                         Diagnostics& diagnostics) {
    Position where;
    if (!e.mark.is_null() && e.mark.line >= 0 && e.mark.column >= 0) {
        where = {static_cast<std::uint32_t>(e.mark.line) + 1,
                 static_cast<std::uint32_t>(e.mark.column) + 1};
    }
    // yaml-cpp reports a tab in indentation as a confusing "illegal map value" a little later.
    auto first_line = where.line > 1 ? where.line - 1 : 1;
    if (auto tab = find_indentation_tab(text, first_line, where.line ? where.line : 1)) {
        diagnostics.error(*tab, "tab character in indentation, expected spaces (YAML does not "
                                "allow tabs for indentation)");
        return;
    }
    std::string message = "invalid YAML: " + e.msg;
    for (const auto& hint : kHints) {
        if (e.msg == hint.yaml_cpp_message) {
            message += ", ";
            message += hint.expected;
        }
    }
    diagnostics.error(where, std::move(message));
}

} // namespace

bool is_tainted(const TaintedPositions& tainted, Position where) {
    return tainted.count({where.line, where.column}) != 0;
}

std::optional<YamlDocument> read_yaml(std::string_view text, const EnvLookup& env,
                                      Diagnostics& diagnostics) {
    // yaml-cpp skips a byte order mark without counting it; drop it here so marks index `body`.
    std::string_view body = text;
    if (body.starts_with(kUtf8Bom)) {
        body.remove_prefix(kUtf8Bom.size());
    }
    std::istringstream in{std::string(body)};
    TreeBuilder builder(body, env, diagnostics);
    try {
        YAML::Parser parser(in);
        if (!parser.HandleNextDocument(builder)) {
            return YamlDocument{ConfigNode::make_null({1, 1}), {}};
        }
        SecondDocumentProbe probe;
        parser.HandleNextDocument(probe);
    } catch (const StopParsing&) {
        return std::nullopt;
    } catch (const SecondDocument& second) {
        diagnostics.error(second.where, "a second YAML document starts here, expected one "
                                        "document per file");
        return std::nullopt;
    } catch (const YAML::ParserException& e) {
        report_syntax_error(body, e, diagnostics);
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        diagnostics.error({}, "invalid YAML: " + e.msg);
        return std::nullopt;
    }
    return builder.take();
}

} // namespace sluice
