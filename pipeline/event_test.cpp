#include "pipeline/event.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace sluice;

TEST_CASE("event fields keep insertion order and typed values") {
    Event e;
    e.set(intern("sensor"), Value::string("t1"));
    e.set(intern("temp"), Value::number(91.8));
    e.set(intern("seq"), Value::integer(17));
    e.set(intern("ok"), Value::boolean(true));
    REQUIRE(e.size() == 4);
    CHECK(symbol_name(e.name_at(0)) == "sensor");
    CHECK(e.get(intern("sensor")).as_string() == "t1");
    CHECK(e.get(intern("temp")).as_double() == 91.8);
    CHECK(e.get(intern("seq")).as_int() == 17);
    CHECK(e.get(intern("ok")).as_bool());
    CHECK(e.get(intern("missing")).is_null());
}

TEST_CASE("event replaces a field in place and keeps its position") {
    Event e;
    e.set(intern("a"), Value::integer(1));
    e.set(intern("b"), Value::integer(2));
    e.set(intern("a"), Value::string("one"));
    REQUIRE(e.size() == 2);
    CHECK(symbol_name(e.name_at(0)) == "a");
    CHECK(e.get(intern("a")).as_string() == "one");
}

TEST_CASE("event copies a string taken from itself") {
    Event e;
    e.set(intern("a"), Value::string("hello"));
    for (int i = 0; i < 50; ++i) {
        // Each set may grow the buffer the source view points into.
        e.set(intern("b" + std::to_string(i)), e.get(intern("a")));
    }
    CHECK(e.get(intern("b49")).as_string() == "hello");
    CHECK(e.get(intern("a")).as_string() == "hello");
}

TEST_CASE("event erase and rename") {
    Event e;
    e.set(intern("a"), Value::integer(1));
    e.set(intern("b"), Value::string("x"));
    e.set(intern("c"), Value::integer(3));
    CHECK(e.erase(intern("b")));
    CHECK_FALSE(e.erase(intern("b")));
    CHECK(e.rename(intern("a"), intern("c")));
    REQUIRE(e.size() == 1);
    CHECK(e.get(intern("c")).as_int() == 1);
}

TEST_CASE("event with many and long fields spills to the heap and copies deeply") {
    Event e;
    std::string long_text(1000, 'x');
    for (int i = 0; i < 20; ++i) {
        e.set(intern("f" + std::to_string(i)), Value::string(long_text));
    }
    Event copy = e;
    e.set(intern("f0"), Value::integer(0));
    CHECK(copy.get(intern("f0")).as_string() == long_text);
    CHECK(copy.get(intern("f19")).as_string() == long_text);
    Event moved = std::move(copy);
    CHECK(moved.size() == 20);
    CHECK(moved == moved);
    CHECK_FALSE(moved == e);
}

TEST_CASE("rewriting a string field many times keeps memory bounded") {
    Event e;
    for (int i = 0; i < 10000; ++i) {
        e.set(intern("s"), Value::string(std::string(100, static_cast<char>('a' + i % 26))));
    }
    CHECK(e.get(intern("s")).as_string() == std::string(100, static_cast<char>('a' + 9999 % 26)));
}

TEST_CASE("int and double values compare by value") {
    CHECK(Value::integer(2) == Value::number(2.0));
    CHECK_FALSE(Value::integer(2) == Value::string("2"));
    CHECK(Value::null() == Value::null());
}

TEST_CASE("append adds fields as set does when the names are new") {
    Event appended;
    Event set;
    for (auto* e : {&appended, &set}) {
        e->set_ts(5);
        e->set_source(intern("src"));
    }
    // Values view strings: the long one must outlive the array.
    const std::string long_text(200, 'x');
    const Value values[] = {Value::string("t1"),  Value::number(91.8), Value::integer(-3),
                            Value::boolean(true), Value::null(),       Value::string(long_text)};
    const char* names[] = {"sensor", "temp", "seq", "ok", "gone", "long"};
    for (int i = 0; i < 6; ++i) {
        appended.append(intern(names[i]), values[i]);
        set.set(intern(names[i]), values[i]);
    }
    CHECK(appended == set);
    CHECK(appended.get(intern("long")).as_string().size() == 200);
    CHECK(appended.get(intern("gone")).is_null());
    CHECK(appended.has(intern("gone")));
}

TEST_CASE("append of a string viewing the same event copies it first") {
    Event e;
    e.append(intern("a"), Value::string(std::string(120, 'a')));
    e.append(intern("b"), e.get(intern("a")));
    CHECK(e.get(intern("b")).as_string() == std::string(120, 'a'));
}
