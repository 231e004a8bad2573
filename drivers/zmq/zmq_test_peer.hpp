#pragma once
// Test support: a ZeroMQ peer (cppzmq) in its own thread with its own context, the way a
// separate program would talk to sluice.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

namespace sluice::testing {

/// One message: its frames.
using ZmqFrames = std::vector<std::string>;

/// A peer socket served by a thread. Receiving types (pull, sub) collect every message;
/// sending types (push, pub) send what send() queues, waiting at their high-water mark like a
/// blocking producer. The destructor stops and joins the thread (linger 0).
class ZmqPeer {
public:
    struct Options {
        zmq::socket_type type = zmq::socket_type::pull;
        std::string endpoint;
        bool bind = false;
        int hwm = 1000;
        std::vector<std::string> subscriptions = {""}; // sub only
        bool reading = true;                           // a stalled consumer starts false
    };
    explicit ZmqPeer(Options options);
    ~ZmqPeer();
    ZmqPeer(const ZmqPeer&) = delete;
    ZmqPeer& operator=(const ZmqPeer&) = delete;

    /// Queues messages to send, in order.
    void send(std::vector<ZmqFrames> messages);
    void send_one(ZmqFrames message) { send({std::move(message)}); }
    std::size_t sent() const { return sent_; }
    /// Whether everything queued has been handed to libzmq.
    bool idle() const;

    std::size_t received() const { return received_; }
    std::vector<ZmqFrames> messages() const;
    /// Starts or stops reading (a slow consumer).
    void set_reading(bool reading);

private:
    void serve();
    void open(zmq::socket_t& socket);
    bool send_pending(zmq::socket_t& socket);
    void receive_some(zmq::socket_t& socket);

    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<ZmqFrames> outbox_;
    std::vector<ZmqFrames> inbox_;
    std::atomic<std::size_t> sent_{0};
    std::atomic<std::size_t> received_{0};
    std::atomic<bool> reading_;
    std::atomic<bool> stop_{false};
    std::promise<void> ready_;
    std::thread thread_;
};

/// "tcp://127.0.0.1:<port>" with a port that is free now, below the ephemeral range so that
/// no other program's socket can be using it or get it from the kernel meanwhile.
std::string free_tcp_endpoint();

/// "ipc://<dir>/<name>": endpoints in a test's TempDir need no free port.
std::string ipc_endpoint(const std::string& dir, const std::string& name);

} // namespace sluice::testing
