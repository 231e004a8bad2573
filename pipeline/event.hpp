#pragma once
// The event: a timestamp, the source it came from, and named fields.

#include "pipeline/small_vec.hpp"
#include "pipeline/symbol.hpp"
#include "pipeline/value.hpp"

#include <cstdint>
#include <vector>

namespace sluice {

/// Nanoseconds since the Unix epoch (event time) or on the pipeline clock.
using Nanos = std::int64_t;
inline constexpr Nanos kNever = INT64_MAX;

/// One field as stored in an event: 16 bytes, strings as offsets into the event's own buffer.
struct FieldSlot {
    Symbol name;
    std::uint32_t type_and_length; // ValueType in the top 8 bits, string length in the low 24.
    union {
        std::int64_t i; // also a boolean, as 0 or 1 (whole words store-forward; see Value)
        double d;
        std::uint32_t offset;
    };
    ValueType type() const { return static_cast<ValueType>(type_and_length >> 24); }
    std::uint32_t length() const { return type_and_length & 0xFFFFFFu; }
};

/// An event. Fields keep their insertion order (what encoders write). Up to 8 fields and 96 bytes
/// of string data live inline, so the common event costs no heap allocation and copies with
/// memcpy. Strings longer than 16 MiB - 1 are truncated to that length.
class Event {
public:
    // User-provided for the same reason as SmallVec's: a value-initialised Event (as
    // EventBatch::emplace_back() makes) would otherwise be zeroed whole, inline storage and all.
    Event() noexcept {}
    /// The longest string a field can hold.
    static constexpr std::uint32_t kMaxStringLength = 0xFFFFFFu;

    Nanos ts() const { return ts_; }
    void set_ts(Nanos ts) { ts_ = ts; }
    Symbol source() const { return source_; }
    void set_source(Symbol source) { source_ = source; }

    std::uint32_t size() const { return fields_.size(); }
    bool empty() const { return fields_.empty(); }

    /// The field's value, or null when the event has no such field. String views stay valid
    /// until this event is next modified.
    Value get(Symbol name) const {
        const auto* slot = find(name);
        return slot ? value_of(*slot) : Value::null();
    }
    bool has(Symbol name) const { return find(name) != nullptr; }
    /// The name and value of the i-th field, in insertion order.
    Symbol name_at(std::uint32_t i) const { return fields_[i].name; }

    Value value_at(std::uint32_t i) const { return value_of(fields_[i]); }

    /// Sets a field, replacing any earlier value; string contents are copied (a view into this
    /// same event is allowed).
    void set(Symbol name, Value value) {
        if (auto* slot = find(name)) {
            replace(*slot, value);
        } else {
            append(name, value);
        }
    }
    /// Adds a field the caller knows the event does not have yet: set() without the search,
    /// for decoders filling a fresh event and stages building one. Appending a name the event
    /// already has leaves two fields of that name (get() then sees the first).
    void append(Symbol name, Value value) {
        if (value.is_string()) {
            append_string(name, value.as_string());
            return;
        }
        fields_.push_back(scalar_slot(name, value));
    }
    /// Removes a field; returns whether it existed.
    bool erase(Symbol name);
    /// Renames a field, replacing any field already called `to`. Returns whether `from` existed.
    bool rename(Symbol from, Symbol to);
    /// Removes every field; keeps ts and source.
    void clear_fields();
    /// Removes everything.
    void clear();

    friend bool operator==(const Event& a, const Event& b);

private:
    // Inline because every field read on the hot path comes through here. Events have a
    // handful of fields; a linear scan over 16-byte slots beats any index.
    const FieldSlot* find(Symbol name) const {
        for (const auto& slot : fields_) {
            if (slot.name == name) {
                return &slot;
            }
        }
        return nullptr;
    }
    FieldSlot* find(Symbol name) {
        return const_cast<FieldSlot*>(static_cast<const Event*>(this)->find(name));
    }
    Value value_of(const FieldSlot& slot) const {
        switch (slot.type()) {
        case ValueType::boolean:
            return Value::boolean(slot.i != 0);
        case ValueType::integer:
            return Value::integer(slot.i);
        case ValueType::number:
            return Value::number(slot.d);
        case ValueType::string:
            return Value::string(std::string_view{strings_.data() + slot.offset, slot.length()});
        case ValueType::null:
            break;
        }
        return Value::null();
    }
    /// A field that holds no string: no bytes to copy, so it is built in registers.
    static FieldSlot scalar_slot(Symbol name, Value value) {
        FieldSlot slot{};
        slot.name = name;
        slot.type_and_length = static_cast<std::uint32_t>(value.type()) << 24;
        switch (value.type()) {
        case ValueType::boolean:
            slot.i = value.as_bool() ? 1 : 0;
            break;
        case ValueType::integer:
            slot.i = value.as_int();
            break;
        case ValueType::number:
            slot.d = value.as_double();
            break;
        case ValueType::null:
        case ValueType::string:
            break;
        }
        return slot;
    }
    void append_string(Symbol name, std::string_view text);
    void replace(FieldSlot& slot, Value value);
    /// Copies `text` (which may view this event's own strings) and returns its offset.
    std::uint32_t store_string(std::string_view text);
    /// Drops string bytes no field refers to any more, once garbage dominates the buffer.
    void compact_strings();

    Nanos ts_ = 0;
    Symbol source_ = 0;
    std::uint32_t garbage_ = 0; // bytes in strings_ that no field refers to
    SmallVec<FieldSlot, 8> fields_;
    SmallVec<char, 96> strings_;
};

/// A batch of events: stages and sinks take events in batches to amortise per-call costs.
using EventBatch = std::vector<Event>;

} // namespace sluice
