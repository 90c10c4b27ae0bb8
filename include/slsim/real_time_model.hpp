// A real-time endpoint at run time, for comparison with serverless ones (DESIGN.md §2):
// `instances` always-on instances of `workers` workers each take requests from one FIFO queue.
// A request finding an idle worker is served at once; otherwise it waits its turn. One that has
// waited the invocation timeout (60 s) leaves the queue as timed out; none is throttled.
// Capacity is the instance count, which autoscaling may change: added instances serve after
// their launch delay; removed ones stop taking requests at once and are billed until their
// workers' last requests end.
#pragma once

#include <cstdint>
#include <vector>

#include "slsim/engine.hpp"
#include "slsim/gauge.hpp"
#include "slsim/random.hpp"
#include "slsim/records.hpp"
#include "slsim/request.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

class RealTimeModel {
 public:
  // REQUIRES: `scenario` outlives the model; endpoint `index` is a real-time one.
  RealTimeModel(const Scenario& scenario, uint32_t index, uint64_t replication, Engine& engine);

  void start();  // the configured instances, ready. REQUIRES: time 0, called once.

  // Handlers (EventKind::kArrival via the simulation, kWorkerDone, kQueueTimeout,
  // kInstanceReady); a record when a request's outcome is settled.
  const RequestRecord* on_arrival(const Request& request);
  const RequestRecord* on_worker_done(uint32_t slot);
  const RequestRecord* on_queue_timeout();
  void on_instance_ready();

  int capacity() const { return instances_; }  // instances ready or starting, not removed
  // Sets the instance count (>= 1): added instances start, removed ones retire. Returns it.
  int set_capacity(int instances);

  MinuteRecord close_minute(Time end);
  void stop_billing(Time at);
  int in_flight() const { return in_flight_; }
  int64_t arrivals() const { return arrivals_; }

 private:
  struct Slot {  // a request in service
    Request request;
    Duration wait;
    Duration model;
    Outcome outcome = Outcome::kWarm;
  };

  void serve(const Request& r, Duration wait);
  void enqueue(const Request& r);
  const Request& queue_front() const { return queue_[queue_head_]; }
  void pop_queue();
  void arm_timeout();
  RequestRecord& settle(const Request& r, Outcome outcome, Time response);
  void set_workers_available(int delta);

  const Scenario& scenario_;
  const EndpointConfig& config_;
  uint16_t index_;
  Engine& engine_;
  double cpu_slowdown_;
  Duration timeout_;
  int workers_per_instance_;

  int instances_ = 0;           // ready or starting
  int starting_ = 0;            // of which still starting
  int cancelled_launches_ = 0;  // launches whose instance was removed before it served
  int idle_workers_ = 0;        // of ready instances, free
  int retiring_workers_ = 0;    // busy workers of removed instances
  std::vector<Slot> slots_;     // requests in service; reused through free_slots_
  std::vector<uint32_t> free_slots_;
  std::vector<Request> queue_;  // FIFO ring; grows, never shrinks (bounded by λ × timeout)
  size_t queue_head_ = 0, queue_size_ = 0;
  bool timeout_pending_ = false;
  int in_flight_ = 0;
  int64_t arrivals_ = 0;

  Gauge busy_, queued_, workers_, instances_held_, billed_;
  bool billing_ = true;
  MinuteRecord minute_;
  RequestRecord record_;
  RandomStream first_inference_rng_, launch_rng_;
};

}  // namespace slsim
