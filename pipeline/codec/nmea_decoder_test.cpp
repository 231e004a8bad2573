#include "pipeline/codec/nmea_decoder.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <vector>

using namespace sluice;

namespace {

struct Decoded {
    DecodeStatus status;
    Event event;
    std::string error;

    Value operator[](std::string_view name) const { return event.get(intern(name)); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (std::uint32_t i = 0; i < event.size(); ++i) {
            out.emplace_back(symbol_name(event.name_at(i)));
        }
        return out;
    }
};

Decoded decode(std::string_view sentence) {
    NmeaDecoder decoder;
    Decoded d;
    d.status = decoder.decode(sentence, d.event, d.error);
    return d;
}

/// "$" + body + "*hh" with the right checksum.
std::string sentence(std::string_view body) {
    unsigned sum = 0;
    for (char c : body) {
        sum ^= static_cast<unsigned char>(c);
    }
    char tail[8];
    std::snprintf(tail, sizeof tail, "*%02X", sum);
    return "$" + std::string(body) + tail;
}

using Names = std::vector<std::string>;

} // namespace

TEST_CASE("nmea decoding reads GGA with signed decimal coordinates") {
    auto d = decode("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"sentence", "talker", "time", "lat", "lon", "fix_quality",
                             "satellites", "hdop", "altitude", "geoid_separation"});
    CHECK(d["sentence"] == Value::string("GGA"));
    CHECK(d["talker"] == Value::string("GP"));
    CHECK(d["time"] == Value::string("12:35:19"));
    CHECK(d["lat"].as_double() == Approx(48.1173));
    CHECK(d["lon"].as_double() == Approx(11.516666667));
    CHECK(d["fix_quality"].as_int() == 1);
    CHECK(d["satellites"].as_int() == 8);
    CHECK(d["hdop"].as_double() == 0.9);
    CHECK(d["altitude"].as_double() == 545.4);
    CHECK(d["geoid_separation"].as_double() == 46.9);

    auto south_west =
        decode(sentence("GNGGA,001043.00,4404.14036,S,12118.85961,W,2,12,0.98,1113.0,M,-21.3,M,"
                        "1.5,0136"));
    REQUIRE(south_west.status == DecodeStatus::event);
    CHECK(south_west["talker"] == Value::string("GN"));
    CHECK(south_west["time"] == Value::string("00:10:43.00"));
    CHECK(south_west["lat"].as_double() == Approx(-44.069006));
    CHECK(south_west["lon"].as_double() == Approx(-121.314327));
    CHECK(south_west["dgps_age"].as_double() == 1.5);
    CHECK(south_west["dgps_station"] == Value::string("0136"));
}

TEST_CASE("nmea decoding reads RMC with speed, date and variation") {
    auto d = decode("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A");
    REQUIRE(d.status == DecodeStatus::event);
    CHECK(d.names() == Names{"sentence", "talker", "time", "status", "valid", "lat", "lon",
                             "speed_knots", "speed_kmh", "course", "date", "magnetic_variation"});
    CHECK(d["valid"] == Value::boolean(true));
    CHECK(d["status"] == Value::string("A"));
    CHECK(d["speed_knots"].as_double() == 22.4);
    CHECK(d["speed_kmh"].as_double() == Approx(41.4848));
    CHECK(d["course"].as_double() == 84.4);
    CHECK(d["date"] == Value::string("1994-03-23"));
    CHECK(d["magnetic_variation"].as_double() == -3.1);

    auto gn = decode("$GNRMC,001031.00,A,4404.13993,N,12118.86023,W,0.146,,100117,,,A*7B");
    REQUIRE(gn.status == DecodeStatus::event);
    CHECK(gn["date"] == Value::string("2017-01-10"));
    CHECK(gn["mode"] == Value::string("A"));
    CHECK_FALSE(gn.event.has(intern("course")));

    auto no_fix = decode(sentence("GPRMC,235947,V,,,,,,,,,,N"));
    REQUIRE(no_fix.status == DecodeStatus::event);
    CHECK(no_fix["valid"] == Value::boolean(false));
    CHECK_FALSE(no_fix.event.has(intern("lat")));
}

TEST_CASE("nmea decoding reads VTG, GSA and GLL") {
    auto vtg = decode("$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48");
    REQUIRE(vtg.status == DecodeStatus::event);
    CHECK(vtg.names() ==
          Names{"sentence", "talker", "course", "course_magnetic", "speed_knots", "speed_kmh"});
    CHECK(vtg["speed_kmh"].as_double() == 10.2);

    auto gsa = decode("$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39");
    REQUIRE(gsa.status == DecodeStatus::event);
    CHECK(gsa.names() == Names{"sentence", "talker", "selection_mode", "fix_type", "satellites",
                               "prns", "pdop", "hdop", "vdop"});
    CHECK(gsa["fix_type"].as_int() == 3);
    CHECK(gsa["satellites"].as_int() == 5);
    CHECK(gsa["prns"] == Value::string("04,05,09,12,24"));
    CHECK(gsa["vdop"].as_double() == 2.1);

    auto gll = decode("$GPGLL,4916.45,N,12311.12,W,225444,A,*1D");
    REQUIRE(gll.status == DecodeStatus::event);
    CHECK(gll.names() == Names{"sentence", "talker", "lat", "lon", "time", "status", "valid"});
    CHECK(gll["lon"].as_double() == Approx(-123.185333));
}

TEST_CASE("nmea decoding rejects a bad or missing checksum") {
    auto bad = decode("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48");
    CHECK(bad.status == DecodeStatus::error);
    CHECK(bad.error.find("checksum") != std::string::npos);
    CHECK(decode("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,").status ==
          DecodeStatus::error);
    CHECK(decode("$GPGGA,123519*4").status == DecodeStatus::error);
    CHECK(decode("$GPGGA,123519*ZZ").status == DecodeStatus::error);
}

TEST_CASE("nmea decoding skips sentences it does not read") {
    CHECK(decode(sentence("GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00"))
              .status == DecodeStatus::skip);
    CHECK(decode(sentence("PGRME,15.0,M,45.0,M,25.0,M")).status == DecodeStatus::skip);
    CHECK(decode("!" + sentence("AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0").substr(1)).status ==
          DecodeStatus::skip);
    CHECK(decode("\r\n").status == DecodeStatus::skip);
}

TEST_CASE("nmea decoding rejects malformed fields") {
    const std::string bad[] = {
        sentence("GPGGA,123519,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPGGA,123519,9107.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPGGA,1235,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPGGA,253519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPGGA,123519,4807.038,N,01131.000,E,one,08,0.9,545.4,M,46.9,M,,"),
        sentence("GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W"),
        sentence("GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,320394,003.1,W"),
        sentence("GPRMC,123519,A,4807.038,N,01131.000,E,fast,084.4,230394,003.1,W"),
        sentence("GPGSA,A,3,x4,05,,09,12,,,24,,,,,2.5,1.3,2.1"),
        sentence("GGA,1"),
        "GPGGA,123519*00",
    };
    for (const auto& s : bad) {
        INFO(s);
        auto d = decode(s);
        CHECK(d.status == DecodeStatus::error);
        CHECK_FALSE(d.error.empty());
    }
}
