#include "pipeline/stages/builtin_stages.hpp"

namespace sluice {

std::span<const KindSpec> builtin_stage_kinds() {
    return {};
}

} // namespace sluice
