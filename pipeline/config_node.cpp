#include "pipeline/config_node.hpp"

namespace sluice {

ConfigNode ConfigNode::make_scalar(std::string text, Position where, bool quoted) {
    ConfigNode node;
    node.kind_ = Kind::scalar;
    node.text_ = std::move(text);
    node.position_ = where;
    node.quoted_ = quoted;
    return node;
}

TextOrigin ConfigNode::text_origin() const {
    if (places_) {
        return TextOrigin(*places_);
    }
    return quoted_ ? position_.shifted(1) : position_;
}

void ConfigNode::set_places(std::vector<Position> places) {
    places_ =
        places.empty() ? nullptr : std::make_shared<const std::vector<Position>>(std::move(places));
}

ConfigNode ConfigNode::make_sequence(Position where) {
    ConfigNode node;
    node.kind_ = Kind::sequence;
    node.position_ = where;
    return node;
}

ConfigNode ConfigNode::make_mapping(Position where) {
    ConfigNode node;
    node.kind_ = Kind::mapping;
    node.position_ = where;
    return node;
}

ConfigNode ConfigNode::make_null(Position where) {
    ConfigNode node;
    node.position_ = where;
    return node;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) {
            return &items_[i];
        }
    }
    return nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
    return const_cast<ConfigNode*>(static_cast<const ConfigNode*>(this)->find(key));
}

void ConfigNode::push_back(ConfigNode item) {
    items_.push_back(std::move(item));
}

void ConfigNode::set(std::string key, ConfigNode value, Position key_where) {
    value.key_position_ = key_where;
    if (auto* existing = find(key)) {
        *existing = std::move(value);
        return;
    }
    keys_.push_back(std::move(key));
    items_.push_back(std::move(value));
}

namespace {

void quote_into(std::string& out, const std::string& text) {
    out += '"';
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    out += '"';
}

} // namespace

std::string ConfigNode::canonical() const {
    std::string out;
    switch (kind_) {
    case Kind::null:
        out = "null";
        break;
    case Kind::scalar:
        quote_into(out, text_);
        break;
    case Kind::sequence:
        out += '[';
        for (std::size_t i = 0; i < items_.size(); ++i) {
            out += i ? "," : "";
            out += items_[i].canonical();
        }
        out += ']';
        break;
    case Kind::mapping:
        out += '{';
        for (std::size_t i = 0; i < items_.size(); ++i) {
            out += i ? "," : "";
            quote_into(out, keys_[i]);
            out += ':';
            out += items_[i].canonical();
        }
        out += '}';
        break;
    }
    return out;
}

} // namespace sluice
