#pragma once
// The per-key state index of keyed stages: maps the values of an event's `key:` fields to a
// small integer slot, bounded by `max_keys` with least-recently-used eviction.

#include "pipeline/event.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// Maps key tuples to slots 0..capacity-1; stages keep their per-key state in arrays indexed by
/// slot. Looking up an existing key hashes the event's key values in place and allocates
/// nothing; only a new key stores an owned copy of its values. Without key fields every event
/// maps to slot 0 (one global state).
///
/// Keys compare like Value's operator== except that NaN equals NaN (so a NaN key cannot grow the
/// table), and a missing field is the same key as a null one. A string key value counts by its
/// first kMaxKeyString bytes only, so hostile input with huge key strings cannot make each of
/// max_keys keys hold megabytes.
class KeyTable {
public:
    static constexpr std::size_t kMaxKeyString = 256;

    struct Found {
        std::uint32_t slot;
        bool created; // the key is new: the caller initialises the slot's state
        bool evicted; // the slot belonged to the least recently used key, now forgotten: the
                      // caller discards that state first (and counts the eviction)
    };

    /// `max_keys` must be at least 1. Never throws except std::bad_alloc.
    KeyTable(std::vector<Symbol> fields, std::uint32_t max_keys);

    /// Finds the slot of `event`'s key and marks it most recently used, creating it when new.
    Found find_or_create(const Event& event);
    /// Forgets the key of `slot` (which must be live); the slot may be reused.
    void erase(std::uint32_t slot);

    /// Sets the key fields of `slot` on `out`; null key values are left out.
    void copy_key(std::uint32_t slot, Event& out) const;

    bool keyed() const { return !fields_.empty(); }
    const std::vector<Symbol>& fields() const { return fields_; }
    std::uint32_t size() const { return size_; }
    std::uint32_t max_keys() const { return max_keys_; }
    /// One past the highest slot handed out so far: the size state arrays need.
    std::uint32_t slot_count() const { return static_cast<std::uint32_t>(hashes_.size()); }

private:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    /// Encodes the event's key values into probe_ (a canonical byte form: equal keys encode to
    /// equal bytes) and returns its hash.
    std::uint64_t probe(const Event& event);
    Value stored_value(std::uint32_t slot, std::uint32_t field, std::size_t& at) const;
    std::uint32_t take_slot(bool& evicted);
    void insert_index(std::uint32_t slot);
    void remove_index(std::uint32_t slot);
    void grow_index();
    void lru_unlink(std::uint32_t slot);
    void lru_push_front(std::uint32_t slot);

    std::vector<Symbol> fields_;
    std::string_view probe_view() const { return {probe_.data(), probe_size_}; }
    std::vector<char> probe_; // the encoded key of the event being looked up (fixed size)
    std::size_t probe_size_ = 0;
    std::uint32_t max_keys_;
    std::uint32_t size_ = 0;

    // Per slot.
    std::vector<std::uint64_t> hashes_;
    std::vector<std::string> keys_;     // encoded key; short keys fit the string's own buffer
    std::vector<std::uint8_t> doubles_; // slot * fields + f: the value was a whole double
    std::vector<std::uint32_t> prev_;   // toward the most recently used
    std::vector<std::uint32_t> next_;   // toward the least recently used
    std::vector<std::uint32_t> free_;
    std::uint32_t head_ = kNone; // most recently used
    std::uint32_t tail_ = kNone; // least recently used

    // Open addressing with linear probing; entries are slots, kNone is empty.
    std::vector<std::uint32_t> index_;
};

} // namespace sluice
