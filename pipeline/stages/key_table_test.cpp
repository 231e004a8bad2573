#include "pipeline/stages/key_table.hpp"

#include "pipeline/stages/testing/stage_harness.hpp"
#include "tests/support/allocation_counter.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>
#include <string>

using namespace sluice;
using namespace sluice::testing;

namespace {

KeyTable table(std::initializer_list<std::string_view> fields, std::uint32_t max_keys = 100) {
    std::vector<Symbol> symbols;
    for (auto f : fields) {
        symbols.push_back(intern(f));
    }
    return KeyTable(std::move(symbols), max_keys);
}

} // namespace

TEST_CASE("key table gives a key the same slot every time and a new key a new slot") {
    auto keys = table({"sensor", "room"});
    auto a = keys.find_or_create(make_event({{"sensor", "a"}, {"room", 1}, {"temp", 20}}));
    auto b = keys.find_or_create(make_event({{"sensor", "a"}, {"room", 2}}));
    auto a2 = keys.find_or_create(make_event({{"room", 1}, {"sensor", "a"}, {"temp", 99}}));
    CHECK(a.created);
    CHECK(b.created);
    CHECK_FALSE(a2.created);
    CHECK(a2.slot == a.slot);
    CHECK(b.slot != a.slot);
    CHECK(keys.size() == 2);
}

TEST_CASE("key table treats 5 and 5.0 as one key, NaN as itself and missing as null") {
    auto keys = table({"k"});
    auto five = keys.find_or_create(make_event({{"k", 5}}));
    CHECK(keys.find_or_create(make_event({{"k", 5.0}})).slot == five.slot);
    CHECK(keys.find_or_create(make_event({{"k", "5"}})).created);
    auto nan = keys.find_or_create(make_event({{"k", std::nan("")}}));
    CHECK_FALSE(keys.find_or_create(make_event({{"k", std::nan("")}})).created);
    CHECK(keys.find_or_create(make_event({{"k", 5.5}})).slot != nan.slot);
    auto missing = keys.find_or_create(make_event({{"other", 1}}));
    CHECK(keys.find_or_create(make_event({{"k", nullptr}})).slot == missing.slot);
    CHECK(keys.find_or_create(make_event({{"k", true}})).created);
    CHECK(keys.find_or_create(make_event({{"k", false}})).created);
}

TEST_CASE("key table without key fields keeps one global slot") {
    auto keys = table({});
    CHECK(keys.find_or_create(make_event({{"a", 1}})).created);
    CHECK_FALSE(keys.find_or_create(make_event({{"a", 2}})).created);
    CHECK(keys.size() == 1);
    keys.erase(0);
    CHECK(keys.find_or_create(make_event({{"a", 2}})).created);
}

TEST_CASE("key table evicts the least recently used key when full") {
    auto keys = table({"k"}, 3);
    auto a = keys.find_or_create(make_event({{"k", "a"}}));
    keys.find_or_create(make_event({{"k", "b"}}));
    keys.find_or_create(make_event({{"k", "c"}}));
    keys.find_or_create(make_event({{"k", "a"}})); // b is now the least recently used
    auto d = keys.find_or_create(make_event({{"k", "d"}}));
    CHECK(d.created);
    CHECK(d.evicted);
    CHECK(keys.size() == 3);
    CHECK_FALSE(keys.find_or_create(make_event({{"k", "a"}})).created);
    CHECK_FALSE(keys.find_or_create(make_event({{"k", "c"}})).created);
    CHECK(keys.find_or_create(make_event({{"k", "b"}})).evicted);
    CHECK(keys.find_or_create(make_event({{"k", "a"}})).slot == a.slot);
}

TEST_CASE("key table copies the key fields onto an event, leaving out nulls") {
    auto keys = table({"sensor", "room", "floor"});
    auto f = keys.find_or_create(
        make_event({{"room", 3}, {"sensor", "a long sensor name of some sort"}, {"x", 1}}));
    Event out;
    keys.copy_key(f.slot, out);
    CHECK(show(out) == R"({sensor: "a long sensor name of some sort", room: 3})");
}

TEST_CASE("key table matches a reference map under random churn") {
    auto keys = table({"k"}, 64);
    std::map<int, std::uint32_t> reference; // key -> slot, only while live
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
        int k = static_cast<int>(rng() % 100);
        auto text = "key-" + std::to_string(k) + "-with-a-long-suffix";
        if (rng() % 5 == 0 && reference.count(k)) {
            keys.erase(reference[k]);
            reference.erase(k);
            continue;
        }
        auto f = keys.find_or_create(make_event({{"k", std::string_view(text)}}));
        if (reference.count(k)) {
            REQUIRE_FALSE(f.created);
            REQUIRE(f.slot == reference[k]);
        } else {
            REQUIRE(f.created);
            if (f.evicted) {
                for (auto it = reference.begin(); it != reference.end(); ++it) {
                    if (it->second == f.slot) {
                        reference.erase(it);
                        break;
                    }
                }
            }
            reference[k] = f.slot;
        }
        REQUIRE(keys.size() == reference.size());
    }
}

TEST_CASE("key table lookups of existing keys allocate nothing") {
    auto keys = table({"sensor", "room"}, 1000);
    std::vector<Event> events;
    for (int i = 0; i < 500; ++i) {
        events.push_back(
            make_event({{"sensor", std::string_view("a sensor name longer than small strings")},
                        {"room", i}}));
        keys.find_or_create(events.back());
    }
    auto before = sluice::test::allocations();
    for (int round = 0; round < 10; ++round) {
        for (const auto& e : events) {
            REQUIRE_FALSE(keys.find_or_create(e).created);
        }
    }
    CHECK(sluice::test::allocations() == before);
}

TEST_CASE("key table counts a string key by its first 256 bytes") {
    auto keys = table({"k"});
    std::string a(300, 'x');
    std::string b = a;
    b[299] = 'y';
    auto first = keys.find_or_create(make_event({{"k", std::string_view(a)}}));
    auto second = keys.find_or_create(make_event({{"k", std::string_view(b)}}));
    CHECK_FALSE(second.created);
    CHECK(second.slot == first.slot);
    Event out;
    keys.copy_key(first.slot, out);
    CHECK(out.get(intern("k")).as_string() == std::string(256, 'x'));
}

TEST_CASE("key table tells apart keys that differ only in trailing zero bytes or a boundary") {
    // Encoded keys are padded with zero bytes to whole words; these must stay distinct.
    auto keys = table({"a", "b"});
    using namespace std::string_view_literals;
    std::vector<Event> events = {
        make_event({{"a", "ab"sv}}),
        make_event({{"a", "ab\0"sv}}),
        make_event({{"a", "ab\0\0\0"sv}}),
        make_event({{"a", "x"sv}, {"b", ""sv}}),
        make_event({{"a", ""sv}, {"b", "x"sv}}),
        make_event({{"a", 0}}),
        make_event({{"a", 0}, {"b", 0}}),
        make_event({{"a", nullptr}, {"b", 0}}),
    };
    std::vector<std::uint32_t> slots;
    for (const auto& e : events) {
        auto f = keys.find_or_create(e);
        CHECK(f.created);
        slots.push_back(f.slot);
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto f = keys.find_or_create(events[i]);
        CHECK_FALSE(f.created);
        CHECK(f.slot == slots[i]);
    }
    CHECK(keys.size() == events.size());
}
