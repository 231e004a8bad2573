#pragma once
// The process's one ZeroMQ context, shared by every zmq source and sink.

#include <memory>

namespace sluice {

/// Owns the process's ZeroMQ context. Every socket holds a reference, so the context is created
/// by the first socket and terminated (zmq_ctx_term) when the last one has closed: a reload that
/// replaces one zmq component keeps the context of the others. Termination waits for each
/// socket's ZMQ_LINGER, which sluice always sets to a finite value, so it never hangs.
class ZmqContext {
public:
    /// The current context, or a new one if none is alive. Throws ZmqError if libzmq cannot
    /// create one (out of file descriptors).
    static std::shared_ptr<ZmqContext> acquire();
    /// Whether a context is alive now (tests check that shutdown released it).
    static bool alive();

    ~ZmqContext();
    ZmqContext(const ZmqContext&) = delete;
    ZmqContext& operator=(const ZmqContext&) = delete;

    /// The libzmq context handle; owned by this object.
    void* get() const { return context_; }

private:
    ZmqContext();
    void* context_;
};

} // namespace sluice
