// One replication of a scenario: the engine, the endpoints, the account pool they share, the
// arrival sources and the recorders, wired together. No globals: many Simulations run side by
// side on threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slsim/account.hpp"
#include "slsim/arrival_source.hpp"
#include "slsim/autoscaler.hpp"
#include "slsim/endpoint_model.hpp"
#include "slsim/endpoint_stats.hpp"
#include "slsim/engine.hpp"
#include "slsim/real_time_model.hpp"
#include "slsim/recorders.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

// What a replication leaves besides its streamed outputs.
struct ReplicationResult {
  std::vector<EndpointStats> endpoints;  // scenario order
  Time end;                              // when the last request finished (>= the duration)
  int max_busy_total = 0;                // most containers busy at once, all endpoints
  uint64_t events = 0;
  uint64_t fingerprint = 0;  // hash of the (time, kind, target) event trajectory
  bool interrupted = false;  // stopped early through SimulationControl::stop
  // A trace that could not be replayed stopped the run: what and where (file:line:column).
  std::string input_error;
  int64_t skipped_rows = 0;   // bad trace rows left out (Scenario::skip_bad_rows)
  std::string first_skipped;  // the first of them, as an error message
};

// How a caller watches and stops a running replication (both may be null). Polled every few
// thousand events, so the per-event path stays free of atomics.
struct SimulationControl {
  const std::atomic<bool>* stop = nullptr;
  std::atomic<int64_t>* simulated_ns = nullptr;  // progress: the clock, in ns, as last seen
};

class Simulation {
 public:
  // REQUIRES: `scenario` is valid (loader-checked) and outlives the Simulation.
  Simulation(const Scenario& scenario, uint64_t replication, Recorders recorders = {},
             SimulationControl control = {});
  Simulation(const Simulation&) = delete;  // the endpoint models refer to its engine
  Simulation& operator=(const Simulation&) = delete;

  // Creates the provisioned containers and schedules the first arrivals. run() calls it; call
  // it yourself only to step the simulation with run_until().
  void start();
  // Processes every event with time < `until`; events at exactly `until` stay pending and the
  // clock is left at `until` (SimPy's run(until) semantics). Returns the events processed.
  uint64_t run_until(Time until);
  // Runs the scenario: arrivals until the duration, then until every request has finished.
  ReplicationResult run();

  Time now() const { return engine_.now(); }
  const EventQueue& queue() const { return engine_.queue(); }
  const EndpointStats& stats(size_t endpoint) const { return stats_.stats(endpoint); }
  // The endpoint models, e.g. to change capacity between run_until() calls.
  EndpointModel& endpoint(size_t index) { return endpoints_[index]; }
  int in_flight() const;

 private:
  void dispatch(const Event& e);
  void on_arrival(uint32_t source);
  void on_tick();
  // A request's outcome is known: the recorders, then its source (a closed loop's client).
  void settled(const RequestRecord& r);
  void scaled(const ScalingRecord& r);
  // Closes every endpoint's minute at `end`; `publish`: hand the datapoints to the autoscalers.
  void close_minutes(Time end, bool publish);
  bool step(Time until);  // one event; false when none is left before `until` or stopped

  const Scenario& scenario_;
  Recorders recorders_;
  SimulationControl control_;
  Time horizon_;
  Engine engine_;
  AccountPool account_;
  std::vector<EndpointModel> endpoints_;  // every endpoint's (idle for a real-time one)
  std::vector<std::unique_ptr<RealTimeModel>> real_time_;  // per endpoint; null if serverless
  std::vector<std::unique_ptr<Autoscaler>> autoscalers_;   // per endpoint; null without one
  std::vector<RequestDistributions> distributions_;        // per endpoint
  std::vector<ArrivalSource> sources_;
  std::vector<uint8_t> wants_responses_;  // per source: a closed loop
  std::vector<TraceRunStatus> trace_status_;  // per trace of the scenario
  StatsRecorder stats_;
  bool started_ = false;
  bool stopped_ = false;
  uint64_t events_ = 0;
  uint64_t fingerprint_ = 0xCBF29CE484222325ULL;
};

}  // namespace slsim
