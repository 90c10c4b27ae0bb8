// A container of an endpoint and the pool that holds them: a vector reused through a free list
// (no allocation once the pool has grown to the endpoint's peak), and intrusive idle lists, so
// that taking the most or least recently used idle container and expiring one are O(1); an
// intrusive heap by creation stamp takes the newest created one in O(log n).
#pragma once

#include <cstdint>
#include <vector>

#include "slsim/records.hpp"
#include "slsim/request.hpp"
#include "slsim/time.hpp"

namespace slsim {

enum class ContainerState : uint8_t { kFree, kStarting, kIdle, kBusy, kCancelled };

struct Container {
  static constexpr uint32_t kNone = 0xFFFFFFFF;
  ContainerState state = ContainerState::kFree;
  bool provisioned = false;    // holds provisioned capacity
  bool release = false;        // provisioned, to be freed when its request finishes
  bool fresh = true;           // no request served yet: the next pays first_inference_extra
  bool timer_pending = false;  // a kIdleExpiry event for this container is in the queue
  bool start_fails = false;    // its cold start runs past the start timeout
  bool has_request = false;    // starting for a request (not for provisioned capacity)
  Time idle_deadline;
  Time starting_since;
  uint32_t prev = kNone;  // idle list links
  uint32_t next = kNone;
  uint32_t heap_slot = kNone;  // position in an IdleHeap
  uint64_t created = 0;        // creation stamp: 1, 2, ... in the order containers were created
  // The request it serves or starts for, and how it was routed.
  Request request;
  Duration model;
  Outcome outcome = Outcome::kWarm;
  bool cold = false;
  bool found_provisioned_busy = false;
  PhaseDurations phases{};
};

// Doubly linked list of idle containers through Container::prev/next; head = most recently used.
struct IdleList {
  uint32_t head = Container::kNone;
  uint32_t tail = Container::kNone;
};

// Idle containers in a max-heap by creation stamp (Container::heap_slot is each one's position).
struct IdleHeap {
  std::vector<uint32_t> items;
};

class ContainerPool {
 public:
  Container& operator[](uint32_t c) { return containers_[c]; }
  uint32_t size() const { return static_cast<uint32_t>(containers_.size()); }
  void reserve(size_t n) { containers_.reserve(n); }

  // A fresh container (state kFree until the caller sets it).
  uint32_t create() {
    uint32_t c;
    if (!free_.empty()) {
      c = free_.back();
      free_.pop_back();
    } else {
      c = static_cast<uint32_t>(containers_.size());
      containers_.emplace_back();
    }
    containers_[c] = Container{};
    containers_[c].created = ++created_;
    return c;
  }
  void destroy(uint32_t c) {
    containers_[c].state = ContainerState::kFree;
    free_.push_back(c);
  }

  void push_idle(IdleList& list, uint32_t c) {
    Container& box = containers_[c];
    box.prev = Container::kNone;
    box.next = list.head;
    if (list.head != Container::kNone) containers_[list.head].prev = c;
    list.head = c;
    if (list.tail == Container::kNone) list.tail = c;
  }
  void unlink_idle(IdleList& list, uint32_t c) {
    Container& box = containers_[c];
    if (box.prev != Container::kNone)
      containers_[box.prev].next = box.next;
    else
      list.head = box.next;
    if (box.next != Container::kNone)
      containers_[box.next].prev = box.prev;
    else
      list.tail = box.prev;
    box.prev = box.next = Container::kNone;
  }
  // The most recently used idle container, unlinked; kNone if there is none.
  uint32_t pop_idle(IdleList& list) {
    const uint32_t c = list.head;
    if (c != Container::kNone) unlink_idle(list, c);
    return c;
  }
  // The least recently used idle container, unlinked; kNone if there is none.
  uint32_t pop_idle_oldest(IdleList& list) {
    const uint32_t c = list.tail;
    if (c != Container::kNone) unlink_idle(list, c);
    return c;
  }

  void push_idle(IdleHeap& heap, uint32_t c) {
    heap.items.push_back(c);
    sift_up(heap, heap.items.size() - 1);
  }
  void remove_idle(IdleHeap& heap, uint32_t c) {
    const size_t slot = containers_[c].heap_slot;
    containers_[c].heap_slot = Container::kNone;
    const uint32_t last = heap.items.back();
    heap.items.pop_back();
    if (last == c) return;
    place(heap, slot, last);
    sift_up(heap, slot);
    sift_down(heap, containers_[last].heap_slot);
  }
  // The newest created idle container, removed; kNone if there is none.
  uint32_t pop_idle(IdleHeap& heap) {
    if (heap.items.empty()) return Container::kNone;
    const uint32_t c = heap.items.front();
    remove_idle(heap, c);
    return c;
  }

 private:
  bool newer(uint32_t a, uint32_t b) const {
    return containers_[a].created > containers_[b].created;
  }
  void place(IdleHeap& heap, size_t slot, uint32_t c) {
    heap.items[slot] = c;
    containers_[c].heap_slot = static_cast<uint32_t>(slot);
  }
  void sift_up(IdleHeap& heap, size_t slot) {
    const uint32_t c = heap.items[slot];
    while (slot > 0) {
      const size_t parent = (slot - 1) / 2;
      if (!newer(c, heap.items[parent])) break;
      place(heap, slot, heap.items[parent]);
      slot = parent;
    }
    place(heap, slot, c);
  }
  void sift_down(IdleHeap& heap, size_t slot) {
    const size_t n = heap.items.size();
    const uint32_t c = heap.items[slot];
    for (;;) {
      size_t child = 2 * slot + 1;
      if (child >= n) break;
      if (child + 1 < n && newer(heap.items[child + 1], heap.items[child])) ++child;
      if (!newer(heap.items[child], c)) break;
      place(heap, slot, heap.items[child]);
      slot = child;
    }
    place(heap, slot, c);
  }

  std::vector<Container> containers_;
  std::vector<uint32_t> free_;
  uint64_t created_ = 0;
};

}  // namespace slsim
