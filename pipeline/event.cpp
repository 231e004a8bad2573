#include "pipeline/event.hpp"

#include <algorithm>

namespace sluice {

std::uint32_t Event::store_string(std::string_view text) {
    auto length = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), kMaxStringLength));
    auto offset = strings_.size();
    // append() copes with `text` pointing into strings_ itself.
    strings_.append(text.data(), length);
    return offset;
}

void Event::append_string(Symbol name, std::string_view text) {
    FieldSlot slot{};
    slot.name = name;
    slot.offset = store_string(text);
    slot.type_and_length = (static_cast<std::uint32_t>(ValueType::string) << 24) |
                           static_cast<std::uint32_t>(strings_.size() - slot.offset);
    fields_.push_back(slot);
}

void Event::replace(FieldSlot& slot, Value value) {
    if (slot.type() == ValueType::string) {
        garbage_ += slot.length();
    }
    if (value.is_string()) {
        auto offset = store_string(value.as_string());
        slot.type_and_length = (static_cast<std::uint32_t>(ValueType::string) << 24) |
                               static_cast<std::uint32_t>(strings_.size() - offset);
        slot.i = 0;
        slot.offset = offset;
    } else {
        slot = scalar_slot(slot.name, value);
    }
    // Only replacing a string makes garbage, so only here can it come to dominate.
    if (garbage_ > 256 && garbage_ * 2 > strings_.size()) {
        compact_strings();
    }
}

bool Event::erase(Symbol name) {
    for (std::uint32_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].name == name) {
            if (fields_[i].type() == ValueType::string) {
                garbage_ += fields_[i].length();
            }
            fields_.erase_at(i);
            return true;
        }
    }
    return false;
}

bool Event::rename(Symbol from, Symbol to) {
    if (from == to) {
        return has(from);
    }
    auto* slot = find(from);
    if (!slot) {
        return false;
    }
    auto index = static_cast<std::uint32_t>(slot - fields_.begin());
    for (std::uint32_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].name == to) {
            if (fields_[i].type() == ValueType::string) {
                garbage_ += fields_[i].length();
            }
            fields_.erase_at(i);
            if (i < index) {
                --index;
            }
            break;
        }
    }
    fields_[index].name = to;
    return true;
}

void Event::clear_fields() {
    fields_.clear();
    strings_.clear();
    garbage_ = 0;
}

void Event::clear() {
    clear_fields();
    ts_ = 0;
    source_ = 0;
}

void Event::compact_strings() {
    SmallVec<char, 96> packed;
    for (auto& slot : fields_) {
        if (slot.type() == ValueType::string) {
            auto offset = packed.size();
            packed.append(strings_.data() + slot.offset, slot.length());
            slot.offset = offset;
        }
    }
    strings_ = std::move(packed);
    garbage_ = 0;
}

bool operator==(const Event& a, const Event& b) {
    if (a.ts_ != b.ts_ || a.source_ != b.source_ || a.size() != b.size()) {
        return false;
    }
    for (std::uint32_t i = 0; i < a.size(); ++i) {
        if (a.name_at(i) != b.name_at(i) || !(a.value_at(i) == b.value_at(i)) ||
            a.value_at(i).type() != b.value_at(i).type()) {
            return false;
        }
    }
    return true;
}

} // namespace sluice
