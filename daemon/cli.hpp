#pragma once
// The command line: `sluice run|check|status|tap|reload|version`.

namespace sluice {

/// Parses the command line and runs the command. Returns the exit code: 0 ok, 1 invalid config
/// or failed command, 2 usage error.
int cli_main(int argc, char** argv);

} // namespace sluice
