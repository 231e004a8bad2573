#include "pipeline/stages/key_table.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>

namespace sluice {
namespace {

std::uint64_t mix(std::uint64_t x) {
    // splitmix64's finaliser: cheap and spreads every input bit over the word.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/// Whether `d` is a whole number that an int64 holds exactly, so 5 and 5.0 are the same key.
bool integral(double d) {
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == std::trunc(d);
}

std::uint64_t hash_value(Value v) {
    switch (v.type()) {
    case ValueType::null:
        return 0x6a09e667f3bcc908ULL;
    case ValueType::boolean:
        return v.as_bool() ? 0xbb67ae8584caa73bULL : 0x3c6ef372fe94f82bULL;
    case ValueType::integer:
        return mix(static_cast<std::uint64_t>(v.as_int()));
    case ValueType::number: {
        double d = v.as_double();
        if (integral(d)) {
            return mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(d)));
        }
        if (std::isnan(d)) {
            return 0xa54ff53a5f1d36f1ULL;
        }
        return mix(std::bit_cast<std::uint64_t>(d));
    }
    case ValueType::string:
        return std::hash<std::string_view>{}(v.as_string()) ^ 0x510e527fade682d1ULL;
    }
    return 0;
}

bool key_equal(Value a, Value b) {
    if (a.is_numeric() && b.is_numeric()) {
        if (a.is_int() && b.is_int()) {
            return a.as_int() == b.as_int();
        }
        if (a.is_double() && b.is_double()) {
            return a.as_double() == b.as_double() ||
                   (std::isnan(a.as_double()) && std::isnan(b.as_double()));
        }
        auto i = a.is_int() ? a.as_int() : b.as_int();
        auto d = a.is_int() ? b.as_double() : a.as_double();
        return integral(d) && static_cast<std::int64_t>(d) == i;
    }
    return a == b;
}

} // namespace

KeyTable::KeyTable(std::vector<Symbol> fields, std::uint32_t max_keys)
    : fields_(std::move(fields)), max_keys_(max_keys < 1 ? 1 : max_keys) {}

std::uint64_t KeyTable::hash_of(const Event& event) const {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (auto field : fields_) {
        h = mix(h ^ hash_value(event.get(field)));
    }
    return h;
}

Value KeyTable::stored_value(std::uint32_t slot, std::uint32_t field) const {
    const auto& s = values_[slot * fields_.size() + field];
    switch (s.type) {
    case ValueType::null:
        return Value::null();
    case ValueType::boolean:
        return Value::boolean(s.b);
    case ValueType::integer:
        return Value::integer(s.i);
    case ValueType::number:
        return Value::number(s.d);
    case ValueType::string:
        return Value::string(std::string_view(strings_[slot]).substr(s.offset, s.length));
    }
    return Value::null();
}

bool KeyTable::matches(std::uint32_t slot, const Event& event) const {
    for (std::uint32_t f = 0; f < fields_.size(); ++f) {
        if (!key_equal(event.get(fields_[f]), stored_value(slot, f))) {
            return false;
        }
    }
    return true;
}

void KeyTable::store_key(std::uint32_t slot, const Event& event) {
    auto& text = strings_[slot];
    text.clear(); // keeps the capacity of an evicted key's strings
    for (std::uint32_t f = 0; f < fields_.size(); ++f) {
        auto v = event.get(fields_[f]);
        auto& s = values_[slot * fields_.size() + f];
        s.type = v.type();
        s.length = 0;
        switch (v.type()) {
        case ValueType::null:
            s.i = 0;
            break;
        case ValueType::boolean:
            s.b = v.as_bool();
            break;
        case ValueType::integer:
            s.i = v.as_int();
            break;
        case ValueType::number:
            s.d = v.as_double();
            break;
        case ValueType::string:
            s.offset = static_cast<std::uint32_t>(text.size());
            s.length = static_cast<std::uint32_t>(v.as_string().size());
            text.append(v.as_string());
            break;
        }
    }
}

KeyTable::Found KeyTable::find_or_create(const Event& event) {
    if (!keyed()) {
        if (size_ == 1) {
            return {0, false, false};
        }
        if (hashes_.empty()) {
            hashes_.push_back(0);
            strings_.emplace_back();
        }
        size_ = 1;
        return {0, true, false};
    }
    auto h = hash_of(event);
    if (!index_.empty()) {
        auto mask = index_.size() - 1;
        for (auto p = h & mask;; p = (p + 1) & mask) {
            auto s = index_[p];
            if (s == kNone) {
                break;
            }
            if (hashes_[s] == h && matches(s, event)) {
                if (head_ != s) {
                    lru_unlink(s);
                    lru_push_front(s);
                }
                return {s, false, false};
            }
        }
    }
    bool evicted = false;
    auto slot = take_slot(evicted);
    hashes_[slot] = h;
    store_key(slot, event);
    ++size_;
    if (size_ * 2 > index_.size()) {
        grow_index();
    }
    insert_index(slot);
    lru_push_front(slot);
    return {slot, true, evicted};
}

std::uint32_t KeyTable::take_slot(bool& evicted) {
    if (!free_.empty()) {
        auto slot = free_.back();
        free_.pop_back();
        return slot;
    }
    if (hashes_.size() < max_keys_) {
        auto slot = static_cast<std::uint32_t>(hashes_.size());
        hashes_.push_back(0);
        values_.resize(values_.size() + fields_.size());
        strings_.emplace_back();
        prev_.push_back(kNone);
        next_.push_back(kNone);
        return slot;
    }
    auto victim = tail_;
    remove_index(victim);
    lru_unlink(victim);
    --size_;
    evicted = true;
    return victim;
}

void KeyTable::erase(std::uint32_t slot) {
    if (!keyed()) {
        size_ = 0;
        return;
    }
    remove_index(slot);
    lru_unlink(slot);
    free_.push_back(slot);
    --size_;
}

void KeyTable::copy_key(std::uint32_t slot, Event& out) const {
    for (std::uint32_t f = 0; f < fields_.size(); ++f) {
        auto v = stored_value(slot, f);
        if (!v.is_null()) {
            out.set(fields_[f], v);
        }
    }
}

void KeyTable::insert_index(std::uint32_t slot) {
    auto mask = index_.size() - 1;
    auto p = hashes_[slot] & mask;
    while (index_[p] != kNone) {
        p = (p + 1) & mask;
    }
    index_[p] = slot;
}

void KeyTable::remove_index(std::uint32_t slot) {
    auto mask = index_.size() - 1;
    auto i = hashes_[slot] & mask;
    while (index_[i] != slot) {
        i = (i + 1) & mask;
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole so that
    // lookups need no tombstones and the table never degrades under key churn.
    auto j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (index_[j] == kNone) {
            index_[i] = kNone;
            return;
        }
        auto home = hashes_[index_[j]] & mask;
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            index_[i] = index_[j];
            i = j;
        }
    }
}

void KeyTable::grow_index() {
    std::size_t capacity = index_.empty() ? 16 : index_.size() * 2;
    index_.assign(capacity, kNone);
    for (auto s = head_; s != kNone; s = next_[s]) {
        insert_index(s);
    }
}

void KeyTable::lru_unlink(std::uint32_t slot) {
    auto p = prev_[slot];
    auto n = next_[slot];
    (p == kNone ? head_ : next_[p]) = n;
    (n == kNone ? tail_ : prev_[n]) = p;
    prev_[slot] = next_[slot] = kNone;
}

void KeyTable::lru_push_front(std::uint32_t slot) {
    prev_[slot] = kNone;
    next_[slot] = head_;
    if (head_ != kNone) {
        prev_[head_] = slot;
    }
    head_ = slot;
    if (tail_ == kNone) {
        tail_ = slot;
    }
}

} // namespace sluice
