#include "drivers/zmq/zmq_context.hpp"

#include "drivers/zmq/zmq_error.hpp"

#include <cerrno>
#include <mutex>

#include <zmq.h>

namespace sluice {

namespace {
std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
}
std::weak_ptr<ZmqContext>& current() {
    static std::weak_ptr<ZmqContext> context;
    return context;
}
} // namespace

ZmqContext::ZmqContext() : context_(zmq_ctx_new()) {
    if (context_ == nullptr) {
        throw ZmqError("zmq_ctx_new", errno);
    }
    // Sockets that nobody configured linger 0 instead of forever; ours set it explicitly anyway.
    zmq_ctx_set(context_, ZMQ_BLOCKY, 0);
}

ZmqContext::~ZmqContext() {
    // Waits for each closed socket's linger to flush or expire; EINTR means a signal came first.
    while (zmq_ctx_term(context_) != 0 && errno == EINTR) {
    }
}

std::shared_ptr<ZmqContext> ZmqContext::acquire() {
    std::lock_guard lock(registry_mutex());
    if (auto context = current().lock()) {
        return context;
    }
    std::shared_ptr<ZmqContext> context(new ZmqContext());
    current() = context;
    return context;
}

bool ZmqContext::alive() {
    std::lock_guard lock(registry_mutex());
    return !current().expired();
}

} // namespace sluice
