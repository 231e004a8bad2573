#include "config/tree_builder.hpp"

#include "config/limits.hpp"
#include "config/scalar_places.hpp"
#include "config/suggest.hpp"

#include <array>

namespace sluice {
namespace {

Position position_of(const YAML::Mark& mark) {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) {
        return {};
    }
    return {static_cast<std::uint32_t>(mark.line) + 1, static_cast<std::uint32_t>(mark.column) + 1};
}

bool ends_plain_word(std::string_view after) {
    if (after.empty()) {
        return true;
    }
    constexpr std::string_view kDelimiters = " \t\r\n,]}#";
    return kDelimiters.find(after[0]) != std::string_view::npos;
}

/// Whether `after` (the text following a word) makes the word a mapping key.
bool starts_key_separator(std::string_view after) {
    auto first = after.find_first_not_of(" \t");
    if (first == std::string_view::npos || after[first] != ':') {
        return false;
    }
    return first + 1 == after.size() || ends_plain_word(after.substr(first + 1));
}

constexpr std::string_view kStringTag = "tag:yaml.org,2002:str";

} // namespace

TreeBuilder::TreeBuilder(std::string_view text, const EnvLookup& env, Diagnostics& diagnostics)
    : text_(text), env_(env), diagnostics_(diagnostics) {}

void TreeBuilder::OnDocumentStart(const YAML::Mark& mark) {
    root_ = ConfigNode::make_null(position_of(mark));
}

bool TreeBuilder::written_null_at(int pos, std::string_view& word) const {
    if (pos < 0 || static_cast<std::size_t>(pos) >= text_.size()) {
        return false;
    }
    std::string_view rest = text_.substr(static_cast<std::size_t>(pos));
    static constexpr std::array<std::string_view, 4> kWords = {"null", "Null", "NULL", "~"};
    for (auto candidate : kWords) {
        if (!rest.starts_with(candidate)) {
            continue;
        }
        auto after = rest.substr(candidate.size());
        if (ends_plain_word(after) && !starts_key_separator(after)) {
            word = candidate;
            return true;
        }
    }
    return false;
}

void TreeBuilder::OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Position where = position_of(mark);
    // yaml-cpp reports `null` and `~` as nulls. Keep them as the scalar written, since `type:
    // null` names the null sink; only an empty value becomes a null node.
    std::string_view word;
    if (written_null_at(mark.pos, word)) {
        count(1, word.size(), where);
        add(ConfigNode::make_scalar(std::string(word), where), anchor, 1, word.size());
        return;
    }
    // An empty value's mark points at the next token; its key is the better place to report.
    if (!stack_.empty() && stack_.back().node.is_mapping() && stack_.back().has_key) {
        where = stack_.back().key_position;
    }
    count(1, 0, where);
    add(ConfigNode::make_null(where), anchor, 1, 0);
}

void TreeBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Position where = position_of(mark);
    auto found = anchors_.find(anchor);
    if (found == anchors_.end()) {
        diagnostics_.error(where, "alias refers to the node that contains it, expected an alias "
                                  "to a node defined before it");
        throw StopParsing{};
    }
    // Count before copying, so an alias bomb stops before it costs memory.
    count(found->second.nodes, found->second.bytes, where);
    add(found->second.node, 0, found->second.nodes, found->second.bytes);
}

void TreeBuilder::check_tag(const std::string& tag, Position where, bool scalar, bool& quoted) {
    if (tag == "?" || tag.empty() || (scalar && tag == "!")) {
        return;
    }
    if (scalar && tag == kStringTag) {
        quoted = true;
        return;
    }
    if (!scalar && (tag == "tag:yaml.org,2002:map" || tag == "tag:yaml.org,2002:seq")) {
        return;
    }
    diagnostics_.error(where, "unsupported YAML tag " + quote(tag) +
                                  ", expected a plain or quoted value (or !!str)");
}

void TreeBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                           const std::string& value) {
    Position where = position_of(mark);
    bool is_quoted = tag == "!";
    check_tag(tag, where, true, is_quoted);
    std::string text;
    if (auto substituted = substitute_env(value, where, env_, diagnostics_)) {
        text = std::move(*substituted);
    } else {
        text = value;
        tainted_.insert({where.line, where.column});
    }
    std::size_t bytes = text.size();
    count(1, bytes, where);
    // The map follows the value as written; a ${VAR} substitution moves what comes after it.
    auto places = text == value && mark.pos >= 0
                      ? scalar_places(text_, static_cast<std::size_t>(mark.pos), where, value)
                      : std::vector<Position>{};
    auto node = ConfigNode::make_scalar(std::move(text), where, is_quoted);
    node.set_places(std::move(places));
    add(std::move(node), anchor, 1, bytes);
}

void TreeBuilder::start_collection(ConfigNode node, const std::string& tag, YAML::anchor_t anchor) {
    Position where = node.position();
    if (stack_.size() >= config_limits::kMaxDepth) {
        diagnostics_.error(where, "nesting is deeper than " +
                                      std::to_string(config_limits::kMaxDepth) +
                                      " levels, expected a flatter structure");
        throw StopParsing{};
    }
    bool unused = false;
    check_tag(tag, where, false, unused);
    count(1, 0, where);
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = anchor;
    frame.nodes_at_start = nodes_ - 1;
    frame.bytes_at_start = bytes_;
    stack_.push_back(std::move(frame));
}

void TreeBuilder::OnSequenceStart(const YAML::Mark& mark, const std::string& tag,
                                  YAML::anchor_t anchor, YAML::EmitterStyle::value) {
    start_collection(ConfigNode::make_sequence(position_of(mark)), tag, anchor);
}

void TreeBuilder::OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                             YAML::EmitterStyle::value) {
    start_collection(ConfigNode::make_mapping(position_of(mark)), tag, anchor);
}

void TreeBuilder::OnSequenceEnd() {
    end_collection();
}

void TreeBuilder::OnMapEnd() {
    end_collection();
}

void TreeBuilder::end_collection() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.node.is_mapping()) {
        apply_merges(frame);
    }
    add(std::move(frame.node), frame.anchor, nodes_ - frame.nodes_at_start,
        bytes_ - frame.bytes_at_start);
}

void TreeBuilder::add(ConfigNode node, YAML::anchor_t anchor, std::size_t nodes,
                      std::size_t bytes) {
    if (anchor != 0) {
        anchors_[anchor] = Anchored{node, nodes, bytes};
    }
    if (stack_.empty()) {
        root_ = std::move(node);
        return;
    }
    Frame& top = stack_.back();
    if (top.node.is_sequence()) {
        top.node.push_back(std::move(node));
    } else {
        add_to_mapping(top, std::move(node));
    }
}

void TreeBuilder::add_to_mapping(Frame& frame, ConfigNode node) {
    if (!frame.has_key) {
        frame.has_key = true;
        frame.skip_value = false;
        frame.key_position = node.position();
        if (!node.is_scalar()) {
            diagnostics_.error(node.position(), "a mapping key must be a name, expected a "
                                                "plain string");
            frame.skip_value = true;
            return;
        }
        if (frame.seen.size() >= config_limits::kMaxMappingKeys) {
            diagnostics_.error(node.position(), "mapping has more than " +
                                                    std::to_string(config_limits::kMaxMappingKeys) +
                                                    " keys, expected a smaller mapping");
            throw StopParsing{};
        }
        frame.key = node.text();
        frame.key_is_merge = !node.quoted() && node.text() == "<<";
        auto [first, inserted] = frame.seen.emplace(frame.key, frame.key_position.line);
        if (!inserted) {
            diagnostics_.error(frame.key_position, "duplicate key " + quote(node.text()) +
                                                       ", already defined at line " +
                                                       std::to_string(first->second));
            frame.skip_value = true;
        }
        return;
    }
    frame.has_key = false;
    if (frame.skip_value) {
        return;
    }
    if (frame.key_is_merge) {
        add_merge(frame, std::move(node));
        return;
    }
    frame.node.set(std::move(frame.key), std::move(node), frame.key_position);
}

void TreeBuilder::add_merge(Frame& frame, ConfigNode value) {
    bool all_mappings = value.is_sequence();
    for (const auto& item : value.items()) {
        all_mappings = all_mappings && item.is_mapping();
    }
    if (value.is_mapping()) {
        frame.merges.push_back(std::move(value));
    } else if (all_mappings) {
        for (const auto& item : value.items()) {
            frame.merges.push_back(item);
        }
    } else {
        diagnostics_.error(value.position(), "a '<<' merge value must be a mapping, expected an "
                                             "alias such as *defaults or a list of them");
    }
}

void TreeBuilder::apply_merges(Frame& frame) {
    // Keys written in the mapping win over merged ones, and earlier merges win over later ones,
    // as in YAML's merge key type.
    for (const auto& merged : frame.merges) {
        for (std::size_t i = 0; i < merged.size(); ++i) {
            const auto& key = merged.keys()[i];
            if (frame.seen.emplace(key, 0).second) {
                const auto& value = merged.items()[i];
                frame.node.set(key, value, value.key_position());
            }
        }
    }
}

void TreeBuilder::count(std::size_t nodes, std::size_t bytes, Position where) {
    nodes_ += nodes;
    bytes_ += bytes;
    if (nodes_ > config_limits::kMaxNodes) {
        diagnostics_.error(where, "the document expands to more than " +
                                      std::to_string(config_limits::kMaxNodes) +
                                      " nodes (through aliases?), expected a smaller document");
        throw StopParsing{};
    }
    if (bytes_ > config_limits::kMaxTextBytes) {
        diagnostics_.error(where, "the document expands to more than " +
                                      std::to_string(config_limits::kMaxTextBytes) +
                                      " bytes of text (through aliases?), expected a smaller "
                                      "document");
        throw StopParsing{};
    }
}

} // namespace sluice
