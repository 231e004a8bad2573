#include "pipeline/stages/key_table.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
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

std::uint64_t load64(const char* p) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
}

/// Hashes whole 8-byte words: encoded keys are padded to a multiple of 8 (see probe()).
std::uint64_t hash_words(std::string_view s) {
    std::uint64_t h = 0x510e527fade682d1ULL ^ (s.size() * 0x9e3779b97f4a7c15ULL);
    for (std::size_t i = 0; i < s.size(); i += 8) {
        h = (h ^ load64(s.data() + i)) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    return mix(h);
}

/// Equality of two padded encodings, a word at a time.
bool words_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); i += 8) {
        if (load64(a.data() + i) != load64(b.data() + i)) {
            return false;
        }
    }
    return true;
}

/// Whether `d` is a whole number that an int64 holds exactly, so 5 and 5.0 are the same key.
bool integral(double d) {
    return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == std::trunc(d);
}

// Tags of the key encoding. Numbers that are whole encode as integers whatever their type,
// and every NaN encodes alike, so the bytes are equal exactly when the keys are.
constexpr char kNull = 'n';
constexpr char kTrue = 't';
constexpr char kFalse = 'f';
constexpr char kInt = 'i';
constexpr char kDouble = 'd';
constexpr char kString = 's';

template <typename T>
char* put(char* out, T value) {
    std::memcpy(out, &value, sizeof(T));
    return out + sizeof(T);
}

template <typename T>
T read_raw(const std::string& in, std::size_t& at) {
    T value;
    std::memcpy(&value, in.data() + at, sizeof(T));
    at += sizeof(T);
    return value;
}

/// Writes the encoding of `v` at `out` (at most kMaxEncoded bytes); returns its end.
char* encode(char* out, Value v) {
    switch (v.type()) {
    case ValueType::null:
        *out++ = kNull;
        return out;
    case ValueType::boolean:
        *out++ = v.as_bool() ? kTrue : kFalse;
        return out;
    case ValueType::integer:
        *out++ = kInt;
        return put(out, v.as_int());
    case ValueType::number: {
        double d = v.as_double();
        if (integral(d)) {
            *out++ = kInt;
            return put(out, static_cast<std::int64_t>(d));
        }
        *out++ = kDouble;
        return put(out, std::isnan(d) ? std::numeric_limits<double>::quiet_NaN() : d);
    }
    case ValueType::string: {
        auto text = v.as_string().substr(0, KeyTable::kMaxKeyString);
        *out++ = kString;
        out = put(out, static_cast<std::uint32_t>(text.size()));
        std::memcpy(out, text.data(), text.size());
        return out + text.size();
    }
    }
    return out;
}

/// The longest encoding of one value: a string's tag, length and bytes.
constexpr std::size_t kMaxEncoded = 1 + 4 + KeyTable::kMaxKeyString;
constexpr std::size_t kWord = 8;

} // namespace

KeyTable::KeyTable(std::vector<Symbol> fields, std::uint32_t max_keys)
    : fields_(std::move(fields)), probe_(fields_.size() * kMaxEncoded + kWord),
      max_keys_(max_keys < 1 ? 1 : max_keys) {}

std::uint64_t KeyTable::probe(const Event& event) {
    char* end = probe_.data();
    for (auto field : fields_) {
        end = encode(end, event.get(field));
    }
    // Zeros up to a whole word, so that hashing and comparing need no code for a short tail.
    // Padded encodings are still equal exactly when the keys are: each value's encoding says
    // where it ends, so one key's encoding is never a proper prefix of another's.
    auto size = static_cast<std::size_t>(end - probe_.data());
    probe_size_ = (size + kWord - 1) / kWord * kWord;
    std::memset(end, 0, probe_size_ - size);
    return hash_words(probe_view());
}

Value KeyTable::stored_value(std::uint32_t slot, std::uint32_t field, std::size_t& at) const {
    const auto& key = keys_[slot];
    switch (key[at++]) {
    case kTrue:
        return Value::boolean(true);
    case kFalse:
        return Value::boolean(false);
    case kInt: {
        auto i = read_raw<std::int64_t>(key, at);
        return doubles_[slot * fields_.size() + field] ? Value::number(static_cast<double>(i))
                                                       : Value::integer(i);
    }
    case kDouble:
        return Value::number(read_raw<double>(key, at));
    case kString: {
        auto length = read_raw<std::uint32_t>(key, at);
        at += length;
        return Value::string(std::string_view(key).substr(at - length, length));
    }
    default:
        return Value::null();
    }
}

KeyTable::Found KeyTable::find_or_create(const Event& event) {
    if (!keyed()) {
        if (size_ == 1) {
            return {0, false, false};
        }
        if (hashes_.empty()) {
            hashes_.push_back(0);
        }
        size_ = 1;
        return {0, true, false};
    }
    auto h = probe(event);
    if (!index_.empty()) {
        auto mask = index_.size() - 1;
        for (auto p = h & mask;; p = (p + 1) & mask) {
            auto s = index_[p];
            if (s == kNone) {
                break;
            }
            if (hashes_[s] == h && words_equal(keys_[s], probe_view())) {
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
    keys_[slot].assign(probe_view()); // reuses the capacity an evicted or erased key left behind
    for (std::size_t f = 0; f < fields_.size(); ++f) {
        doubles_[slot * fields_.size() + f] = event.get(fields_[f]).is_double() ? 1 : 0;
    }
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
        keys_.emplace_back();
        doubles_.resize(doubles_.size() + fields_.size());
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
    std::size_t at = 0;
    for (std::uint32_t f = 0; f < fields_.size(); ++f) {
        auto v = stored_value(slot, f, at);
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
