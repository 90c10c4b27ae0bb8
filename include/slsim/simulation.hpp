// The engine and the endpoint model of one replication. One Simulation owns its clock, event
// queue, random streams and statistics: no globals, so many can run side by side on threads.
//
// Routing of a request (DESIGN.md §1): an idle provisioned container; else spill over to an
// idle warm on-demand container (most recently used first); else a cold start if the endpoint
// and the account are under their concurrency limits; else throttle.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "slsim/event_queue.hpp"
#include "slsim/metrics.hpp"
#include "slsim/random.hpp"
#include "slsim/scenario.hpp"
#include "slsim/traffic.hpp"

namespace slsim {

class CsvLog;  // csv_log.hpp

// Optional streamed outputs of one replication.
struct SimulationLogs {
  CsvLog* requests = nullptr;  // one requests.csv row per request
  CsvLog* metrics = nullptr;   // one metrics.csv row per endpoint and minute
};

struct ReplicationResult {
  std::vector<EndpointStats> endpoints;  // scenario order
  Time end;                              // when the last request finished
  int max_busy_total = 0;                // most containers busy at once, all endpoints
  uint64_t events = 0;
  uint64_t fingerprint = 0;  // hash of the (time, kind, target) event trajectory
  bool interrupted = false;  // HARDENING (issue 8): stopped early by set_stop(); incomplete
};

class Simulation {
 public:
  // REQUIRES: `scenario` is valid (loader-checked) and outlives the Simulation.
  Simulation(const Scenario& scenario, uint64_t replication, SimulationLogs logs = {});

  // Schedules the first arrivals and the first metrics tick. run() calls it; call it yourself
  // only to step the simulation with run_until().
  void start();
  // Processes every event with time < `until`; events at exactly `until` stay pending
  // (SimPy's run(until) semantics). Returns the number of events processed.
  uint64_t run_until(Time until);
  // Runs the scenario: arrivals until the duration, then until every request has finished.
  ReplicationResult run();

  // HARDENING (issue 8): `stop` is polled every 4096 events; once it is true, run_until() and
  // run() return early and run()'s result has `interrupted` set (and nothing else).
  void set_stop(const std::atomic<bool>* stop) { stop_ = stop; }

  Time now() const { return now_; }
  const EventQueue& queue() const { return queue_; }
  const EndpointStats& stats(size_t endpoint) const { return endpoints_[endpoint].stats; }
  int in_flight() const { return in_flight_total_; }

 private:
  enum class ContainerState : uint8_t { kProvisioning, kIdle, kBusy, kFree };
  static constexpr uint32_t kNone = 0xFFFFFFFF;

  // The request a container is serving or cold-starting for (one at a time, DESIGN.md §1).
  struct InFlight {
    Time arrival;
    Duration overhead;
    Duration model;
    double payload = 0.0;
    uint32_t source = 0;
    Outcome outcome = Outcome::kWarm;
  };

  struct Container {
    uint32_t endpoint = 0;
    ContainerState state = ContainerState::kFree;
    bool provisioned = false;
    bool fresh = true;           // no request served yet: the next pays first_inference_extra
    bool timer_pending = false;  // an kIdleExpiry event for this container is in the queue
    bool start_fails = false;
    Time idle_deadline;
    Time provisioning_since;
    uint32_t prev = kNone;  // idle list links
    uint32_t next = kNone;
    PhaseDurations phases{};
    InFlight request;
  };

  // Intrusive doubly linked list of idle containers; head = most recently used.
  struct IdleList {
    uint32_t head = kNone;
    uint32_t tail = kNone;
  };

  struct EndpointState {
    const EndpointConfig* config = nullptr;
    double cpu_slowdown = 1.0;
    Duration idle_timeout;
    IdleList idle_provisioned;
    IdleList idle_on_demand;
    int in_flight = 0;  // requests being served or waiting for their cold start
    int on_demand_in_flight = 0;
    Gauges gauges;
    Time gauges_since;
    MinuteRow minute;  // the current metrics minute
    // One stream per stochastic source (random.hpp).
    RandomStream overhead_rng, inference_rng, first_inference_rng, response_rng, image_cache_rng;
    std::array<RandomStream, kPhaseCount> phase_rng;
    EndpointStats stats;
  };

  void dispatch(const Event& e);
  // Named handlers, one per event kind.
  void on_arrival(uint32_t source);
  void on_container_ready(uint32_t container);
  void on_request_done(uint32_t container);
  void on_idle_expiry(uint32_t container);
  void on_minute_tick();

  void route(uint32_t source, Time arrival, double payload);
  void start_service(uint32_t container);
  void start_cold(uint32_t endpoint, const InFlight& request);
  void finish(EndpointState& ep, const InFlight& r, Outcome outcome, Time response_at,
              const Container* c);
  void client_response(uint32_t source, Time response_at);

  uint32_t new_container(uint32_t endpoint);
  void free_container(uint32_t container);
  void push_idle(IdleList& list, uint32_t c);
  uint32_t pop_idle(IdleList& list);  // the head, or kNone
  void unlink_idle(IdleList& list, uint32_t c);

  // Moves an endpoint's gauges: integrates the old values up to now, then applies the change.
  void change_gauges(EndpointState& ep, int busy, int busy_provisioned, int idle, int provisioning);
  MinuteRow& minute_row(EndpointState& ep) { return ep.minute; }
  void close_gauges(Time until);
  void emit_minute(Time until);  // writes the current minute's rows (if logging) and resets them
  void schedule(Time at, EventKind kind, uint32_t target);

  const Scenario& scenario_;
  uint64_t replication_;
  SimulationLogs logs_;
  Time now_;
  Time horizon_;
  EventQueue queue_;
  std::vector<EndpointState> endpoints_;
  std::vector<TrafficSource> sources_;
  std::vector<Container> containers_;
  std::vector<uint32_t> free_containers_;
  int in_flight_total_ = 0;
  int account_in_use_ = 0;  // provisioned containers + on-demand requests in flight
  int busy_total_ = 0;
  int max_busy_total_ = 0;
  int64_t minute_ = 0;  // index of the current metrics minute
  bool started_ = false;
  uint64_t events_ = 0;
  uint64_t fingerprint_ = 0xCBF29CE484222325ULL;
  // HARDENING (issue 8): set_stop().
  const std::atomic<bool>* stop_ = nullptr;
  bool stop_requested() { return stop_ != nullptr && stop_->load(std::memory_order_relaxed); }
};

}  // namespace slsim
