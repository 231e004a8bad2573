#include "drivers/builtin.hpp"

#include "drivers/sinks/stdout.hpp"
#include "drivers/sources/generator.hpp"
#include "drivers/sources/stdin.hpp"
#include "pipeline/codec/codecs.hpp"

#include <vector>

namespace sluice {

std::span<const SourceKind> builtin_source_kinds() {
    static const std::vector<SourceKind> kinds = {
        {{ComponentKind::source, "generator", "Simulated sensors: waveforms with noise, at a rate.",
          generator_options()},
         &GeneratorSource::make},
        {{ComponentKind::source,
          "stdin",
          "Events from standard input; ends at end of input.",
          {},
          framing_decode_options()},
         &StdinSource::make},
    };
    return kinds;
}

std::span<const SinkKind> builtin_sink_kinds() {
    static const std::vector<SinkKind> kinds = {
        {{ComponentKind::sink,
          "stdout",
          "Encoded events to standard output.",
          {},
          encode_options()},
         &FdSink::make_stdout},
        {{ComponentKind::sink, "file", "Encoded events appended to a file.", file_sink_options(),
          encode_options()},
         &FdSink::make_file},
    };
    return kinds;
}

} // namespace sluice
