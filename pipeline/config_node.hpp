#pragma once
// A configuration tree with the file position of every node. config/ builds it from YAML;
// component factories read their options from it without depending on yaml-cpp.

#include "pipeline/diagnostics.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

class ConfigNode {
public:
    enum class Kind { null, scalar, sequence, mapping };
    using Entry = std::pair<std::string, ConfigNode>;

    ConfigNode() = default;
    static ConfigNode make_scalar(std::string text, Position where, bool quoted = false);
    static ConfigNode make_sequence(Position where);
    static ConfigNode make_mapping(Position where);
    static ConfigNode make_null(Position where);

    Kind kind() const { return kind_; }
    bool is_null() const { return kind_ == Kind::null; }
    bool is_scalar() const { return kind_ == Kind::scalar; }
    bool is_sequence() const { return kind_ == Kind::sequence; }
    bool is_mapping() const { return kind_ == Kind::mapping; }
    Position position() const { return position_; }
    /// Where the key of this node stands, for a node that is a mapping value.
    Position key_position() const { return key_position_; }

    /// The scalar's text (after ${VAR} substitution); empty for other kinds.
    const std::string& text() const { return text_; }
    /// Whether the scalar was quoted in the file ("5" is a string, 5 a number).
    bool quoted() const { return quoted_; }
    /// Where the scalar's text stands in the file, for positions inside it. Valid while this
    /// node lives.
    TextOrigin text_origin() const;
    /// Where each byte of the text stands, and its end (see scalar_places()), for a text that
    /// is not written as it is on one line.
    void set_places(std::vector<Position> places);

    /// Sequence items, or mapping values in file order.
    const std::vector<ConfigNode>& items() const { return items_; }
    /// Mapping keys, parallel to items().
    const std::vector<std::string>& keys() const { return keys_; }
    std::size_t size() const { return items_.size(); }

    /// The value under `key` in a mapping, or nullptr.
    const ConfigNode* find(std::string_view key) const;
    ConfigNode* find(std::string_view key);

    void push_back(ConfigNode item);
    /// Adds or replaces `key` in a mapping.
    void set(std::string key, ConfigNode value, Position key_where = {});

    /// Canonical text of the subtree (keys in file order), used to tell whether a component's
    /// configuration changed across a reload and for `check --print`.
    std::string canonical() const;

private:
    Kind kind_ = Kind::null;
    bool quoted_ = false;
    Position position_;
    Position key_position_;
    // Null: the text is as written, from position_ on. Shared, so that copies made by YAML
    // aliases cost no more than the text they copy (which the reader's limits count).
    std::shared_ptr<const std::vector<Position>> places_;
    std::string text_;
    std::vector<std::string> keys_;
    std::vector<ConfigNode> items_;
};

} // namespace sluice
