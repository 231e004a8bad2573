// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s regex compiler at -O1 (the
// sanitizer build); the warning is about std::function internals, not this code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "pipeline/expr/pattern.hpp"

namespace sluice::expr {

std::string compile_pattern(std::string_view pattern, std::regex& out) {
    try {
        out.assign(pattern.data(), pattern.size(), std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        return e.what();
    }
    return {};
}

} // namespace sluice::expr
