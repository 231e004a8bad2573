#include "drivers/zmq/zmq_test_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <random>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace sluice::testing {

namespace {
// How long the peer thread blocks in one call before it looks at its stop flag again.
constexpr int kSliceMs = 5;
} // namespace

ZmqPeer::ZmqPeer(Options options) : options_(std::move(options)), reading_(options_.reading) {
    auto ready = ready_.get_future();
    thread_ = std::thread([this] { serve(); });
    // The socket is bound or connected once the constructor returns; a failure rethrows here.
    try {
        ready.get();
    } catch (...) {
        thread_.join();
        throw;
    }
}

ZmqPeer::~ZmqPeer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ZmqPeer::send(std::vector<ZmqFrames> messages) {
    {
        std::lock_guard lock(mutex_);
        for (auto& message : messages) {
            outbox_.push_back(std::move(message));
        }
    }
    wake_.notify_all();
}

void ZmqPeer::set_reading(bool reading) {
    {
        std::lock_guard lock(mutex_);
        reading_ = reading;
    }
    wake_.notify_all();
}

bool ZmqPeer::idle() const {
    std::lock_guard lock(mutex_);
    return outbox_.empty();
}

std::vector<ZmqFrames> ZmqPeer::messages() const {
    std::lock_guard lock(mutex_);
    return inbox_;
}

void ZmqPeer::serve() {
    zmq::context_t context(1);
    zmq::socket_t socket(context, options_.type);
    try {
        open(socket);
    } catch (...) {
        ready_.set_exception(std::current_exception());
        return;
    }
    ready_.set_value();
    bool sender = options_.type == zmq::socket_type::push || options_.type == zmq::socket_type::pub;
    while (!stop_) {
        if (sender ? !send_pending(socket) : !reading_) {
            // Nothing to send, or a stalled consumer: wait for send(), set_reading() or stop.
            std::unique_lock lock(mutex_);
            wake_.wait(lock,
                       [&] { return stop_ || (sender ? !outbox_.empty() : reading_.load()); });
        } else if (!sender) {
            receive_some(socket);
        }
    }
}

void ZmqPeer::open(zmq::socket_t& socket) {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::sndhwm, options_.hwm);
    socket.set(zmq::sockopt::rcvhwm, options_.hwm);
    socket.set(zmq::sockopt::sndtimeo, kSliceMs);
    socket.set(zmq::sockopt::reconnect_ivl, 10);
    if (options_.type == zmq::socket_type::sub) {
        for (const auto& topic : options_.subscriptions) {
            socket.set(zmq::sockopt::subscribe, topic);
        }
    }
    if (options_.bind) {
        socket.bind(options_.endpoint);
    } else {
        socket.connect(options_.endpoint);
    }
}

bool ZmqPeer::send_pending(zmq::socket_t& socket) {
    ZmqFrames message;
    {
        std::lock_guard lock(mutex_);
        if (outbox_.empty()) {
            return false;
        }
        message = outbox_.front();
    }
    for (std::size_t i = 0; i < message.size(); ++i) {
        auto flags = i + 1 < message.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
        // Blocks up to kSliceMs at the high-water mark; the first frame decides.
        while (!socket.send(zmq::buffer(message[i]), flags)) {
            if (stop_) {
                return false;
            }
        }
    }
    std::lock_guard lock(mutex_);
    outbox_.pop_front();
    ++sent_;
    return true;
}

void ZmqPeer::receive_some(zmq::socket_t& socket) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(kSliceMs));
    for (int n = 0; n < 256 && reading_; ++n) {
        ZmqFrames frames;
        zmq::message_t frame;
        if (!socket.recv(frame, zmq::recv_flags::dontwait)) {
            return;
        }
        frames.push_back(frame.to_string());
        while (frame.more()) {
            (void)socket.recv(frame, zmq::recv_flags::none);
            frames.push_back(frame.to_string());
        }
        std::lock_guard lock(mutex_);
        inbox_.push_back(std::move(frames));
        ++received_;
    }
}

std::string free_tcp_endpoint() {
    // Below the ephemeral range (32768 and up): no port another program got from bind(0) or a
    // connect(), so no foreign peer joins our sockets and no connect meets itself.
    static std::mt19937 random(std::random_device{}());
    for (int attempt = 0; attempt < 1000; ++attempt) {
        int port = std::uniform_int_distribution<int>(20000, 32000)(random);
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        if (free) {
            return "tcp://127.0.0.1:" + std::to_string(port);
        }
    }
    throw std::runtime_error("no free port");
}

std::string ipc_endpoint(const std::string& dir, const std::string& name) {
    return "ipc://" + dir + "/" + name;
}

} // namespace sluice::testing
