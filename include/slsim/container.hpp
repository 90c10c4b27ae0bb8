// A container of an endpoint and the pool that holds them: a vector reused through a free list
// (no allocation once the pool has grown to the endpoint's peak), and intrusive idle lists, so
// that taking the most recently used idle container and expiring one are O(1).
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

 private:
  std::vector<Container> containers_;
  std::vector<uint32_t> free_;
};

}  // namespace slsim
