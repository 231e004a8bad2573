#pragma once
// The `metrics` reply: the status counters in the Prometheus text exposition format.

#include "daemon/status_report.hpp"

#include <string>

namespace sluice {

/// Prometheus text format 0.0.4: counters per component labelled {component, kind}, a state
/// gauge, and the daemon's own uptime, reload and tap counters. Ends with a newline.
std::string render_metrics(const StatusReport& report);

} // namespace sluice
