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

namespace {

template <auto Make>
bool check_source(const ComponentConfig& config, Diagnostics& diagnostics) {
    return Make(config, diagnostics) != nullptr;
}

template <auto Make>
bool check_sink(const ComponentConfig& config, Diagnostics& diagnostics) {
    Scheduler scheduler; // a sink only keeps it for later: nothing runs on it
    return Make(config, diagnostics, scheduler) != nullptr;
}

/// A source kind whose spec lets the loader run its factory (KindSpec::check).
template <auto Make>
SourceKind source(KindSpec spec) {
    spec.check = &check_source<Make>;
    return {spec, Make};
}

/// A sink kind likewise (actuators use sink kinds).
template <auto Make>
SinkKind sink(KindSpec spec) {
    spec.check = &check_sink<Make>;
    return {spec, Make};
}

} // namespace

std::span<const SourceKind> builtin_source_kinds() {
    static const std::vector<SourceKind> kinds = {
        source<&GeneratorSource::make>({ComponentKind::source, "generator",
                                        "Simulated sensors: waveforms with noise, at a rate.",
                                        generator_options()}),
        source<&StdinSource::make>({.kind = ComponentKind::source,
                                    .type = "stdin",
                                    .summary = "Events from standard input; ends at end of input.",
                                    .options = {},
                                    .shared_options = framing_decode_options(),
                                    .uses_once = "standard input"}),
        source<&ZmqSource::make>(
            {ComponentKind::source, "zmq",
             "Events from a ZeroMQ SUB (with topics) or PULL socket, on the event loop.",
             zmq_source_options(), framing_decode_options()}),
        source<&SerialSource::make>(
            {ComponentKind::source, "serial",
             "Events from a serial port; survives unplug and replug (reopened with backoff).",
             serial_device_options(), framing_decode_options()}),
        source<&StreamServerSource::make_tcp>(
            {ComponentKind::source, "tcp_server",
             "Events from every client of a TCP listener, each with its own framing state.",
             tcp_server_source_options(), framing_decode_options()}),
        source<&TcpClientSource::make>(
            {ComponentKind::source, "tcp_client",
             "Events from a TCP server; reconnects with capped exponential backoff.",
             tcp_client_source_options(), framing_decode_options()}),
        source<&UdpSource::make>({ComponentKind::source, "udp",
                                  "Events from UDP datagrams, each datagram a frame.",
                                  udp_source_options(), framing_decode_options()}),
        source<&StreamServerSource::make_unix>({ComponentKind::source, "unix_server",
                                                "Events from every client of a Unix stream socket.",
                                                unix_server_source_options(),
                                                framing_decode_options()}),
        source<&FileSource::make>(
            {ComponentKind::source, "file",
             "Events from a file: to its end, or followed across rotation (follow: true).",
             file_source_options(), framing_decode_options()}),
    };
    return kinds;
}

std::span<const SinkKind> builtin_sink_kinds() {
    static const std::vector<SinkKind> kinds = {
        sink<&FdSink::make_stdout>({.kind = ComponentKind::sink,
                                    .type = "stdout",
                                    .summary = "Encoded events to standard output.",
                                    .options = {},
                                    .shared_options = encode_options(),
                                    .uses_once = "standard output"}),
        sink<&FdSink::make_file>({ComponentKind::sink, "file", "Encoded events appended to a file.",
                                  file_sink_options(), encode_options()}),
        sink<&ZmqSink::make>(
            {ComponentKind::sink, "zmq",
             "Each encoded event as one ZeroMQ message on a PUB (topic) or PUSH socket.",
             zmq_sink_options(), encode_options()}),
        sink<&StreamClientSink::make_tcp>(
            {ComponentKind::sink, "tcp_client",
             "Encoded events to a TCP server; reconnects with capped exponential backoff.",
             tcp_client_sink_options(), encode_options()}),
        sink<&TcpServerSink::make>(
            {ComponentKind::sink, "tcp_server",
             "Encoded events to every connected client, with a bounded buffer per client.",
             tcp_server_sink_options(), encode_options()}),
        sink<&UdpSink::make>({ComponentKind::sink, "udp", "Each encoded event as one UDP datagram.",
                              udp_sink_options(), encode_options()}),
        sink<&StreamClientSink::make_unix>(
            {ComponentKind::sink, "unix",
             "Encoded events to a Unix stream socket; reconnects with backoff.",
             unix_sink_options(), encode_options()}),
        sink<&SerialSink::make>(
            {ComponentKind::sink, "serial",
             "Encoded events (device commands) to a serial port; reopened after an unplug.",
             serial_device_options(), encode_options()}),
        sink<&ExecSink::make>({ComponentKind::sink, "exec",
                               "Runs a program (an argv array, never a shell) for each event.",
                               exec_sink_options()}),
        sink<&NullSink::make>(
            {ComponentKind::sink, "null", "Discards events (counted as sent).", {}}),
    };
    return kinds;
}

} // namespace sluice
