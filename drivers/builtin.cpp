#include "drivers/builtin.hpp"

#include "drivers/sinks/exec.hpp"
#include "drivers/sinks/null.hpp"
#include "drivers/sinks/serial.hpp"
#include "drivers/sinks/stdout.hpp"
#include "drivers/sinks/stream_client.hpp"
#include "drivers/sinks/tcp_server.hpp"
#include "drivers/sinks/udp.hpp"
#include "drivers/sources/file.hpp"
#include "drivers/sources/generator.hpp"
#include "drivers/sources/serial.hpp"
#include "drivers/sources/serial_device.hpp"
#include "drivers/sources/stdin.hpp"
#include "drivers/sources/stream_server.hpp"
#include "drivers/sources/tcp_client.hpp"
#include "drivers/sources/udp.hpp"
#include "drivers/zmq/zmq_sink.hpp"
#include "drivers/zmq/zmq_source.hpp"
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
        {{ComponentKind::source, "zmq",
          "Events from a ZeroMQ SUB (with topics) or PULL socket, on the event loop.",
          zmq_source_options(), framing_decode_options()},
         &ZmqSource::make},
        {{ComponentKind::source, "serial",
          "Events from a serial port; survives unplug and replug (reopened with backoff).",
          serial_device_options(), framing_decode_options()},
         &SerialSource::make},
        {{ComponentKind::source, "tcp_server",
          "Events from every client of a TCP listener, each with its own framing state.",
          tcp_server_source_options(), framing_decode_options()},
         &StreamServerSource::make_tcp},
        {{ComponentKind::source, "tcp_client",
          "Events from a TCP server; reconnects with capped exponential backoff.",
          tcp_client_source_options(), framing_decode_options()},
         &TcpClientSource::make},
        {{ComponentKind::source, "udp", "Events from UDP datagrams, each datagram a frame.",
          udp_source_options(), framing_decode_options()},
         &UdpSource::make},
        {{ComponentKind::source, "unix_server", "Events from every client of a Unix stream socket.",
          unix_server_source_options(), framing_decode_options()},
         &StreamServerSource::make_unix},
        {{ComponentKind::source, "file",
          "Events from a file: to its end, or followed across rotation (follow: true).",
          file_source_options(), framing_decode_options()},
         &FileSource::make},
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
        {{ComponentKind::sink, "zmq",
          "Each encoded event as one ZeroMQ message on a PUB (topic) or PUSH socket.",
          zmq_sink_options(), encode_options()},
         &ZmqSink::make},
        {{ComponentKind::sink, "tcp_client",
          "Encoded events to a TCP server; reconnects with capped exponential backoff.",
          tcp_client_sink_options(), encode_options()},
         &StreamClientSink::make_tcp},
        {{ComponentKind::sink, "tcp_server",
          "Encoded events to every connected client, with a bounded buffer per client.",
          tcp_server_sink_options(), encode_options()},
         &TcpServerSink::make},
        {{ComponentKind::sink, "udp", "Each encoded event as one UDP datagram.", udp_sink_options(),
          encode_options()},
         &UdpSink::make},
        {{ComponentKind::sink, "unix",
          "Encoded events to a Unix stream socket; reconnects with backoff.", unix_sink_options(),
          encode_options()},
         &StreamClientSink::make_unix},
        {{ComponentKind::sink, "serial",
          "Encoded events (device commands) to a serial port; reopened after an unplug.",
          serial_device_options(), encode_options()},
         &SerialSink::make},
        {{ComponentKind::sink, "exec",
          "Runs a program (an argv array, never a shell) for each event.", exec_sink_options()},
         &ExecSink::make},
        {{ComponentKind::sink, "null", "Discards events (counted as sent).", {}}, &NullSink::make},
    };
    return kinds;
}

} // namespace sluice
