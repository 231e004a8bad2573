#pragma once
// The version sluice reports (`sluice version`, the status reply, the metrics).

#ifndef SLUICE_VERSION
#define SLUICE_VERSION "0.0.0"
#endif

namespace sluice {

inline constexpr const char* kVersion = SLUICE_VERSION;

} // namespace sluice
