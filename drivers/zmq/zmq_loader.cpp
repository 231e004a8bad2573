// The libzmq functions sluice calls, resolved from libzmq.so.5 when the first one is called.
//
// sluice does not link libzmq: a daemon without zmq components never loads it, nor the dozen
// libraries it pulls in (Kerberos, OpenPGM, NORM, libsodium...), which are most of an idle
// daemon's resident memory, and sluice runs on machines without libzmq at all. When the
// library cannot be loaded, every call fails with ELIBACC and zmq_strerror() says why, so a zmq
// component reports it through its state and log like any other failure.
//
// Test programs that link libzmq themselves still get these definitions; they forward to the
// same, already loaded library.

#include "pipeline/shared_library.hpp"

#include <zmq.h>

#include <cerrno>

namespace {

sluice::SharedLibrary& library() {
    static sluice::SharedLibrary zmq("libzmq.so.5", "ZeroMQ");
    return zmq;
}

/// The function `name` of libzmq, or nullptr (errno ELIBACC) when the library is missing.
template <typename Function>
Function* resolve(const char* name) {
    auto* function = reinterpret_cast<Function*>(library().symbol(name));
    if (function == nullptr) {
        errno = ELIBACC;
    }
    return function;
}

} // namespace

// Each forwarder resolves its function once; a missing library makes it fail like libzmq does.
#define SLUICE_ZMQ_FORWARD(result, name, failure, params, args)                                    \
    extern "C" result name params {                                                                \
        static auto* const target = resolve<result params>(#name);                                 \
        if (target == nullptr) {                                                                   \
            return failure;                                                                        \
        }                                                                                          \
        return target args;                                                                        \
    }

SLUICE_ZMQ_FORWARD(void*, zmq_ctx_new, nullptr, (), ())
SLUICE_ZMQ_FORWARD(int, zmq_ctx_set, -1, (void* context, int option, int value),
                   (context, option, value))
SLUICE_ZMQ_FORWARD(int, zmq_ctx_term, -1, (void* context), (context))
SLUICE_ZMQ_FORWARD(void*, zmq_socket, nullptr, (void* context, int type), (context, type))
SLUICE_ZMQ_FORWARD(int, zmq_close, -1, (void* socket), (socket))
SLUICE_ZMQ_FORWARD(int, zmq_bind, -1, (void* socket, const char* endpoint), (socket, endpoint))
SLUICE_ZMQ_FORWARD(int, zmq_connect, -1, (void* socket, const char* endpoint), (socket, endpoint))
SLUICE_ZMQ_FORWARD(int, zmq_setsockopt, -1,
                   (void* socket, int option, const void* value, size_t size),
                   (socket, option, value, size))
SLUICE_ZMQ_FORWARD(int, zmq_getsockopt, -1, (void* socket, int option, void* value, size_t* size),
                   (socket, option, value, size))
SLUICE_ZMQ_FORWARD(int, zmq_send, -1, (void* socket, const void* buffer, size_t size, int flags),
                   (socket, buffer, size, flags))
SLUICE_ZMQ_FORWARD(int, zmq_msg_init, -1, (zmq_msg_t * message), (message))
SLUICE_ZMQ_FORWARD(int, zmq_msg_close, -1, (zmq_msg_t * message), (message))
SLUICE_ZMQ_FORWARD(int, zmq_msg_recv, -1, (zmq_msg_t * message, void* socket, int flags),
                   (message, socket, flags))
SLUICE_ZMQ_FORWARD(void*, zmq_msg_data, nullptr, (zmq_msg_t * message), (message))
SLUICE_ZMQ_FORWARD(size_t, zmq_msg_size, 0, (const zmq_msg_t* message), (message))
SLUICE_ZMQ_FORWARD(int, zmq_msg_more, 0, (const zmq_msg_t* message), (message))

extern "C" int zmq_errno() {
    static auto* const target = resolve<int()>("zmq_errno");
    return target ? target() : errno;
}

extern "C" const char* zmq_strerror(int code) {
    static auto* const target = resolve<const char*(int)>("zmq_strerror");
    if (target == nullptr) {
        return library().error().empty() ? "zmq_strerror missing from libzmq.so.5"
                                         : library().error().c_str();
    }
    return target(code);
}
