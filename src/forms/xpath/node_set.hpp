// The node-set of XPath: a list of NodeRefs that keeps up to four inline, so the usual path result
// (one node) needs no heap allocation. NodeRef is trivially copyable, so copies are memcpy.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>

#include "forms/xpath/instance.hpp"

namespace gotong::forms::xpath {

class NodeSet {
 public:
  using value_type = NodeRef;
  using iterator = NodeRef*;
  using const_iterator = const NodeRef*;

  NodeSet() = default;
  NodeSet(std::initializer_list<NodeRef> nodes) { append(nodes.begin(), nodes.end()); }
  NodeSet(const NodeSet& other) { append(other.begin(), other.end()); }
  NodeSet(NodeSet&& other) noexcept { take(other); }
  NodeSet& operator=(const NodeSet& other) {
    if (this != &other) {
      size_ = 0;
      append(other.begin(), other.end());
    }
    return *this;
  }
  NodeSet& operator=(NodeSet&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~NodeSet() { release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  NodeRef* begin() { return data(); }
  NodeRef* end() { return data() + size_; }
  const NodeRef* begin() const { return data(); }
  const NodeRef* end() const { return data() + size_; }
  NodeRef& operator[](std::size_t i) { return data()[i]; }
  const NodeRef& operator[](std::size_t i) const { return data()[i]; }
  const NodeRef& front() const { return data()[0]; }
  const NodeRef& back() const { return data()[size_ - 1]; }

  void clear() { size_ = 0; }
  void push_back(const NodeRef& n) {
    if (size_ == capacity_) grow(size_ + 1);
    new (data() + size_) NodeRef(n);
    ++size_;
  }
  void append(const NodeRef* first, const NodeRef* last) {
    const auto n = static_cast<std::size_t>(last - first);
    if (size_ + n > capacity_) grow(size_ + n);
    if (n != 0) std::memcpy(static_cast<void*>(data() + size_), first, n * sizeof(NodeRef));
    size_ += static_cast<std::uint32_t>(n);
  }
  // Removes [first, last), keeping the order of the rest.
  NodeRef* erase(NodeRef* first, NodeRef* last) {
    const auto tail = static_cast<std::size_t>(end() - last);
    if (tail != 0 && first != last)
      std::memmove(static_cast<void*>(first), last, tail * sizeof(NodeRef));
    size_ -= static_cast<std::uint32_t>(last - first);
    return first;
  }
  void swap(NodeSet& other) noexcept {
    NodeSet tmp(std::move(other));
    other = std::move(*this);
    *this = std::move(tmp);
  }

  friend bool operator==(const NodeSet& a, const NodeSet& b) {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (!(a[i] == b[i])) return false;
    }
    return true;
  }

 private:
  static constexpr std::uint32_t kInline = 4;
  static_assert(std::is_trivially_copyable_v<NodeRef> && std::is_trivially_destructible_v<NodeRef>);

  NodeRef* data() {
    return heap_ != nullptr ? heap_ : std::launder(reinterpret_cast<NodeRef*>(inline_));
  }
  const NodeRef* data() const {
    return heap_ != nullptr ? heap_ : std::launder(reinterpret_cast<const NodeRef*>(inline_));
  }

  void grow(std::size_t needed) {
    std::size_t capacity = capacity_ * 2;
    if (capacity < needed) capacity = needed;
    auto* bigger = static_cast<NodeRef*>(::operator new(capacity * sizeof(NodeRef)));
    if (size_ != 0) std::memcpy(static_cast<void*>(bigger), data(), size_ * sizeof(NodeRef));
    release();
    heap_ = bigger;
    capacity_ = static_cast<std::uint32_t>(capacity);
  }
  void release() {
    if (heap_ != nullptr) ::operator delete(heap_);
    heap_ = nullptr;
    capacity_ = kInline;
  }
  // Steals a heap buffer, copies inline nodes; leaves `other` empty.
  void take(NodeSet& other) {
    size_ = other.size_;
    if (other.heap_ != nullptr) {
      heap_ = other.heap_;
      capacity_ = other.capacity_;
      other.heap_ = nullptr;
      other.capacity_ = kInline;
    } else if (size_ != 0) {
      std::memcpy(static_cast<void*>(inline_), other.inline_, size_ * sizeof(NodeRef));
    }
    other.size_ = 0;
  }

  NodeRef* heap_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = kInline;
  alignas(NodeRef) unsigned char inline_[kInline * sizeof(NodeRef)];
};

}  // namespace gotong::forms::xpath
