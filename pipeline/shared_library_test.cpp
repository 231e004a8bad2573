#include "pipeline/shared_library.hpp"

#include <catch2/catch.hpp>

using namespace sluice;

TEST_CASE("a shared library opens on first use and gives its functions") {
    SharedLibrary libm("libm.so.6", "libm");
    auto* cosine = reinterpret_cast<double (*)(double)>(libm.symbol("cos"));
    REQUIRE(cosine != nullptr);
    CHECK(cosine(0.0) == 1.0);
    CHECK(libm.symbol("no_such_function_in_libm") == nullptr);
    CHECK(libm.error().empty());
}

TEST_CASE("a missing shared library says which and why, and gives no functions") {
    SharedLibrary missing("libsluice-test-missing.so.0", "The test library");
    CHECK_FALSE(missing.open());
    CHECK(missing.symbol("anything") == nullptr);
    CHECK(missing.error().rfind("The test library is not available (libsluice-test-missing.so.0",
                                0) == 0);
}
