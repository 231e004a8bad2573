#pragma once
// Events as InfluxDB line protocol.

#include "pipeline/codec/encoder.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sluice {

class Options;

/// Writes `measurement,tag=v field=1i,f=2.5,s="x",b=true <ts>` and a newline. The measurement
/// is the fixed name, or else the value of `measurement_field` (not written as a field), or
/// else "sluice". The `tags` fields become tags (left out when null or empty); every other
/// field is a field: ints with the i suffix, finite doubles, bools, quoted strings; nulls and
/// non-finite doubles are left out. An event with no field left is skipped. ts is written in
/// ns unless it is 0. Line breaks in names and strings are written as \n so a line stays one.
class InfluxEncoder final : public Encoder {
public:
    InfluxEncoder(std::string measurement, Symbol measurement_field, std::vector<Symbol> tags)
        : measurement_(std::move(measurement)), measurement_field_(measurement_field),
          tags_(std::move(tags)) {}

    void encode(const Event& event, std::string& out) override;

private:
    bool is_tag(Symbol name) const;
    /// Appends the fields; returns how many it wrote.
    int append_fields(const Event& event, std::string& out) const;

    std::string measurement_;
    Symbol measurement_field_;
    std::vector<Symbol> tags_;
    std::string scratch_; // a tag or measurement value as text, before escaping
};

std::unique_ptr<Encoder> make_influx_encoder(const Options& options);

} // namespace sluice
