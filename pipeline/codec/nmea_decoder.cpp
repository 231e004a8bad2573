#include "pipeline/codec/nmea_decoder.hpp"

#include "pipeline/text_chars.hpp"

#include <charconv>
#include <cmath>

namespace sluice {

struct NmeaDecoder::Names {
    Symbol sentence = intern("sentence"), talker = intern("talker"), time = intern("time"),
           date = intern("date"), lat = intern("lat"), lon = intern("lon"),
           fix_quality = intern("fix_quality"), satellites = intern("satellites"),
           hdop = intern("hdop"), vdop = intern("vdop"), pdop = intern("pdop"),
           altitude = intern("altitude"), geoid_separation = intern("geoid_separation"),
           dgps_age = intern("dgps_age"), dgps_station = intern("dgps_station"),
           status = intern("status"), valid = intern("valid"), speed_knots = intern("speed_knots"),
           speed_kmh = intern("speed_kmh"), course = intern("course"),
           course_magnetic = intern("course_magnetic"),
           magnetic_variation = intern("magnetic_variation"), mode = intern("mode"),
           selection_mode = intern("selection_mode"), fix_type = intern("fix_type"),
           prns = intern("prns"), system_id = intern("system_id");
};

namespace {

const NmeaDecoder::Names& names() {
    static const NmeaDecoder::Names instance;
    return instance;
}

bool all_digits(std::string_view text) {
    for (char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

int two_digits(std::string_view text, std::size_t at) {
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

} // namespace

/// Reads the parts of one sentence into an event, stopping at the first bad field.
class NmeaDecoder::Reader {
public:
    Reader(const std::vector<std::string_view>& parts, Event& out, std::string& error,
           std::string& text)
        : parts_(parts), out_(out), error_(error), text_(text) {}

    std::string_view part(std::size_t i) const { return i < parts_.size() ? parts_[i] : ""; }

    bool fail(std::size_t i, const char* what) {
        error_ = "field " + std::to_string(i) + " of " + std::string(part(0)) + ": " + what;
        return false;
    }

    bool number(Symbol name, std::size_t i) {
        double value = 0;
        if (part(i).empty()) {
            return true;
        }
        if (!parse(i, value)) {
            return fail(i, "not a number");
        }
        out_.set(name, Value::number(value));
        return true;
    }

    bool integer(Symbol name, std::size_t i) {
        auto text = part(i);
        if (text.empty()) {
            return true;
        }
        std::int64_t value = 0;
        auto result = std::from_chars(text.data(), text.data() + text.size(), value);
        if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
            return fail(i, "not an integer");
        }
        out_.set(name, Value::integer(value));
        return true;
    }

    bool text(Symbol name, std::size_t i) {
        if (!part(i).empty()) {
            out_.set(name, Value::string(part(i)));
        }
        return true;
    }

    /// ddmm.mmmm (or dddmm.mmmm) and a hemisphere letter, as signed decimal degrees.
    bool angle(Symbol name, std::size_t i, double max_degrees, char positive, char negative) {
        auto hemisphere = part(i + 1);
        if (part(i).empty() && hemisphere.empty()) {
            return true;
        }
        double raw = 0;
        if (!parse(i, raw) || raw < 0) {
            return fail(i, "not a coordinate");
        }
        double degrees = std::floor(raw / 100);
        double minutes = raw - degrees * 100;
        if (minutes >= 60 || degrees + minutes / 60 > max_degrees) {
            return fail(i, "coordinate out of range");
        }
        if (hemisphere.size() != 1 || (hemisphere[0] != positive && hemisphere[0] != negative)) {
            return fail(i + 1, "bad hemisphere");
        }
        double value = degrees + minutes / 60;
        out_.set(name, Value::number(hemisphere[0] == negative ? -value : value));
        return true;
    }

    /// hhmmss[.sss] as "hh:mm:ss[.sss]".
    bool time(Symbol name, std::size_t i) {
        auto raw = part(i);
        if (raw.empty()) {
            return true;
        }
        auto fraction = raw.substr(std::min<std::size_t>(6, raw.size()));
        if (raw.size() < 6 || !all_digits(raw.substr(0, 6)) ||
            (!fraction.empty() && (fraction[0] != '.' || !all_digits(fraction.substr(1)))) ||
            two_digits(raw, 0) > 23 || two_digits(raw, 2) > 59 || two_digits(raw, 4) > 60) {
            return fail(i, "not a time");
        }
        text_.assign(raw, 0, 2).append(":").append(raw, 2, 2).append(":").append(raw, 4);
        out_.set(name, Value::string(text_));
        return true;
    }

    /// ddmmyy as "yyyy-mm-dd"; two-digit years 80-99 are 19xx, the rest 20xx.
    bool date(Symbol name, std::size_t i) {
        auto raw = part(i);
        if (raw.empty()) {
            return true;
        }
        if (raw.size() != 6 || !all_digits(raw) || two_digits(raw, 0) < 1 ||
            two_digits(raw, 0) > 31 || two_digits(raw, 2) < 1 || two_digits(raw, 2) > 12) {
            return fail(i, "not a date");
        }
        text_.assign(two_digits(raw, 4) >= 80 ? "19" : "20");
        text_.append(raw, 4, 2).append("-").append(raw, 2, 2).append("-").append(raw, 0, 2);
        out_.set(name, Value::string(text_));
        return true;
    }

    /// A status letter: A (valid) or V (void), also as the bool `valid`.
    bool status(const Names& n, std::size_t i) {
        auto raw = part(i);
        if (raw.empty()) {
            return true;
        }
        if (raw != "A" && raw != "V") {
            return fail(i, "status is not A or V");
        }
        out_.set(n.status, Value::string(raw));
        out_.set(n.valid, Value::boolean(raw == "A"));
        return true;
    }

    bool parse(std::size_t i, double& value) const {
        auto raw = part(i);
        auto result = std::from_chars(raw.data(), raw.data() + raw.size(), value);
        return result.ec == std::errc{} && result.ptr == raw.data() + raw.size() &&
               std::isfinite(value);
    }

    Event& out() { return out_; }
    std::string& scratch() { return text_; }

private:
    const std::vector<std::string_view>& parts_;
    Event& out_;
    std::string& error_;
    std::string& text_;
};

namespace {

using Reader = NmeaDecoder::Reader;
using Names = NmeaDecoder::Names;

bool read_gga(Reader& r, const Names& n) {
    return r.time(n.time, 1) && r.angle(n.lat, 2, 90, 'N', 'S') &&
           r.angle(n.lon, 4, 180, 'E', 'W') && r.integer(n.fix_quality, 6) &&
           r.integer(n.satellites, 7) && r.number(n.hdop, 8) && r.number(n.altitude, 9) &&
           r.number(n.geoid_separation, 11) && r.number(n.dgps_age, 13) &&
           r.text(n.dgps_station, 14);
}

bool read_rmc(Reader& r, const Names& n) {
    if (!r.time(n.time, 1) || !r.status(n, 2) || !r.angle(n.lat, 3, 90, 'N', 'S') ||
        !r.angle(n.lon, 5, 180, 'E', 'W') || !r.number(n.speed_knots, 7)) {
        return false;
    }
    double knots = 0;
    if (r.parse(7, knots)) {
        r.out().set(n.speed_kmh, Value::number(knots * 1.852));
    }
    if (!r.number(n.course, 8) || !r.date(n.date, 9)) {
        return false;
    }
    double variation = 0;
    if (!r.part(10).empty()) {
        if (!r.parse(10, variation) || (r.part(11) != "E" && r.part(11) != "W")) {
            return r.fail(10, "bad magnetic variation");
        }
        r.out().set(n.magnetic_variation,
                    Value::number(r.part(11) == "W" ? -variation : variation));
    }
    return r.text(n.mode, 12);
}

bool read_vtg(Reader& r, const Names& n) {
    return r.number(n.course, 1) && r.number(n.course_magnetic, 3) && r.number(n.speed_knots, 5) &&
           r.number(n.speed_kmh, 7) && r.text(n.mode, 9);
}

bool read_gsa(Reader& r, const Names& n) {
    if (!r.text(n.selection_mode, 1) || !r.integer(n.fix_type, 2)) {
        return false;
    }
    auto& prns = r.scratch();
    prns.clear();
    std::int64_t used = 0;
    for (std::size_t i = 3; i <= 14; ++i) {
        auto prn = r.part(i);
        if (prn.empty()) {
            continue;
        }
        if (!all_digits(prn)) {
            return r.fail(i, "not a satellite id");
        }
        prns.append(prns.empty() ? "" : ",").append(prn);
        ++used;
    }
    r.out().set(n.satellites, Value::integer(used));
    if (!prns.empty()) {
        r.out().set(n.prns, Value::string(prns));
    }
    return r.number(n.pdop, 15) && r.number(n.hdop, 16) && r.number(n.vdop, 17) &&
           r.integer(n.system_id, 18);
}

bool read_gll(Reader& r, const Names& n) {
    return r.angle(n.lat, 1, 90, 'N', 'S') && r.angle(n.lon, 3, 180, 'E', 'W') &&
           r.time(n.time, 5) && r.status(n, 6) && r.text(n.mode, 7);
}

} // namespace

NmeaDecoder::NmeaDecoder() : names_(names()) {}

DecodeStatus NmeaDecoder::split(std::string_view frame, std::string& error) {
    if (frame[0] != '$' && frame[0] != '!') {
        error = "not an NMEA sentence (no leading '$')";
        return DecodeStatus::error;
    }
    auto star = frame.rfind('*');
    if (star == std::string_view::npos || frame.size() - star != 3) {
        error = "missing checksum";
        return DecodeStatus::error;
    }
    int high = hex_digit(frame[star + 1]);
    int low = hex_digit(frame[star + 2]);
    unsigned computed = 0;
    for (std::size_t i = 1; i < star; ++i) {
        computed ^= static_cast<unsigned char>(frame[i]);
    }
    if (high < 0 || low < 0 || static_cast<unsigned>(high * 16 + low) != computed) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        error = "checksum mismatch: sentence says " + std::string(frame.substr(star + 1)) +
                ", computed " + kHex[computed >> 4] + kHex[computed & 0xF];
        return DecodeStatus::error;
    }
    if (frame[0] == '!') {
        return DecodeStatus::skip; // encapsulated (AIS) sentences
    }
    parts_.clear();
    auto body = frame.substr(1, star - 1);
    for (std::size_t start = 0;;) {
        auto comma = body.find(',', start);
        parts_.push_back(body.substr(start, comma - start));
        if (comma == std::string_view::npos) {
            break;
        }
        start = comma + 1;
    }
    auto address = parts_[0];
    if (!address.empty() && address[0] == 'P') {
        return DecodeStatus::skip; // proprietary
    }
    if (address.size() != 5) {
        error = "bad sentence address '" + std::string(address) + "'";
        return DecodeStatus::error;
    }
    return DecodeStatus::event;
}

DecodeStatus NmeaDecoder::decode(std::string_view frame, Event& out, std::string& error) {
    while (!frame.empty() &&
           (frame.back() == '\r' || frame.back() == '\n' || frame.back() == ' ')) {
        frame.remove_suffix(1);
    }
    if (frame.empty()) {
        return DecodeStatus::skip;
    }
    auto status = split(frame, error);
    if (status != DecodeStatus::event) {
        return status;
    }
    auto type = parts_[0].substr(2);
    using ReadFn = bool (*)(Reader&, const Names&);
    ReadFn read = type == "GGA"   ? read_gga
                  : type == "RMC" ? read_rmc
                  : type == "VTG" ? read_vtg
                  : type == "GSA" ? read_gsa
                  : type == "GLL" ? read_gll
                                  : nullptr;
    if (!read) {
        return DecodeStatus::skip;
    }
    out.set(names_.sentence, Value::string(type));
    out.set(names_.talker, Value::string(parts_[0].substr(0, 2)));
    Reader reader(parts_, out, error, text_);
    return read(reader, names_) ? DecodeStatus::event : DecodeStatus::error;
}

} // namespace sluice
