#pragma once
// A vector with inline storage for trivially copyable elements: the common event fits inline and
// costs no heap allocation; larger ones spill to the heap.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

namespace sluice {

template <typename T, std::uint32_t N>
class SmallVec {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    // User-provided, so that value-initialisation (emplace_back(), T{}) does not zero the
    // inline storage first: that was a `rep stos` over every new event.
    SmallVec() noexcept {}
    SmallVec(const SmallVec& other) { assign(other); }
    SmallVec(SmallVec&& other) noexcept { take(other); }
    SmallVec& operator=(const SmallVec& other) {
        if (this != &other) {
            size_ = 0;
            assign(other);
        }
        return *this;
    }
    SmallVec& operator=(SmallVec&& other) noexcept {
        if (this != &other) {
            release();
            take(other);
        }
        return *this;
    }
    ~SmallVec() { release(); }

    T* data() { return heap_ ? heap_ : inline_data(); }
    const T* data() const { return heap_ ? heap_ : inline_data(); }
    std::uint32_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::uint32_t capacity() const { return heap_ ? capacity_ : N; }
    T* begin() { return data(); }
    T* end() { return data() + size_; }
    const T* begin() const { return data(); }
    const T* end() const { return data() + size_; }
    T& operator[](std::uint32_t i) { return data()[i]; }
    const T& operator[](std::uint32_t i) const { return data()[i]; }
    T& back() { return data()[size_ - 1]; }

    void clear() { size_ = 0; }
    void push_back(const T& value) {
        if (size_ == capacity()) {
            T copy = value; // `value` may live inside this vector.
            reserve(size_ * 2 + 1);
            data()[size_++] = copy;
            return;
        }
        data()[size_++] = value;
    }
    /// Appends `count` elements copied from `src`, which may point into this vector.
    void append(const T* src, std::uint32_t count) {
        if (size_ + count > capacity()) {
            const T* base = data();
            bool aliased = src >= base && src < base + size_;
            auto offset = aliased ? static_cast<std::uint32_t>(src - base) : 0;
            reserve(grown(size_ + count));
            if (aliased) {
                src = data() + offset;
            }
        }
        if (count) {
            std::memmove(data() + size_, src, count * sizeof(T));
        }
        size_ += count;
    }
    void resize(std::uint32_t count) {
        reserve(count);
        size_ = count;
    }
    void erase_at(std::uint32_t index) {
        std::memmove(data() + index, data() + index + 1, (size_ - index - 1) * sizeof(T));
        --size_;
    }
    void reserve(std::uint32_t wanted) {
        if (wanted <= capacity()) {
            return;
        }
        auto* grown_data = static_cast<T*>(std::malloc(sizeof(T) * wanted));
        if (!grown_data) {
            throw std::bad_alloc{};
        }
        if (size_) {
            std::memcpy(grown_data, data(), size_ * sizeof(T));
        }
        std::free(heap_);
        heap_ = grown_data;
        capacity_ = wanted;
    }

private:
    static std::uint32_t grown(std::uint32_t needed) {
        return needed < 2 * N ? 2 * N : needed + needed / 2;
    }
    T* inline_data() { return reinterpret_cast<T*>(storage_); }
    const T* inline_data() const { return reinterpret_cast<const T*>(storage_); }
    void assign(const SmallVec& other) { append(other.data(), other.size_); }
    void take(SmallVec& other) {
        if (other.heap_) {
            heap_ = other.heap_;
            capacity_ = other.capacity_;
            size_ = other.size_;
            other.heap_ = nullptr;
            other.size_ = 0;
            other.capacity_ = 0;
        } else {
            std::memcpy(storage_, other.storage_, other.size_ * sizeof(T));
            size_ = other.size_;
            other.size_ = 0;
        }
    }
    void release() {
        // Most events never spill; skip the call for them (it is on every event's destruction).
        if (heap_) {
            std::free(heap_);
        }
        heap_ = nullptr;
        capacity_ = 0;
        size_ = 0;
    }

    T* heap_ = nullptr;
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = 0;
    alignas(T) unsigned char storage_[N * sizeof(T)];
};

} // namespace sluice
