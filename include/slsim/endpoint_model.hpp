// One serverless endpoint at run time: its container pool, the routing of requests, cold starts,
// idle expiry and its capacity (provisioned and max concurrency), which can change at any
// simulated time. Handlers schedule through the Engine and return the RequestRecord of a request
// whose outcome they settled (nullptr otherwise); the caller hands it to the recorders.
//
// Routing of a request (DESIGN.md §1): an idle provisioned container; else spill over to an
// idle warm on-demand container (the platform's idle_container_selection: most recently used
// by default); else a cold start if the endpoint and the account are under their concurrency
// limits; else throttle.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "slsim/account.hpp"
#include "slsim/cold_start.hpp"
#include "slsim/container.hpp"
#include "slsim/engine.hpp"
#include "slsim/gauge.hpp"
#include "slsim/random.hpp"
#include "slsim/records.hpp"
#include "slsim/request.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

// What an endpoint may hold at a time. Both can change during a run (set_provisioned,
// set_max_concurrency); an endpoint whose provisioned concurrency is above 0 spills over: its
// on-demand requests are counted as spillover (CloudWatch's SpilloverInvocations).
struct Capacity {
  int provisioned = 0;
  int max_concurrency = 20;
};

class EndpointModel {
 public:
  // REQUIRES: `scenario` outlives the model; `index` is the endpoint's position in it.
  EndpointModel(const Scenario& scenario, uint32_t index, uint64_t replication, Engine& engine,
                AccountPool& account);

  // Creates the configured provisioned containers, ready (SageMaker keeps them "warm and ready",
  // seeds/001). REQUIRES: time 0, called once.
  void start();

  // Handlers, one per event kind.
  const RequestRecord* on_arrival(const Request& request);
  const RequestRecord* on_container_ready(uint32_t container);
  const RequestRecord* on_request_done(uint32_t container);
  void on_idle_expiry(uint32_t container);

  Capacity capacity() const { return capacity_; }
  // Sets the provisioned concurrency from now on. Raising it starts new provisioned containers,
  // which serve after the platform's provisioning delay (or, by default, their cold-start
  // phases); containers being released are kept instead, where there are any. Lowering it
  // releases starting containers first, then idle ones at once, then busy ones when their
  // request finishes. Each new container needs room in the account pool; returns the
  // provisioned concurrency reached (less than `target` only when the pool is full).
  // REQUIRES: 0 <= target <= capacity().max_concurrency.
  int set_provisioned(int target);
  // REQUIRES: capacity().provisioned <= limit. Requests in flight are not affected.
  void set_max_concurrency(int limit);

  // Ends the current metrics minute at `end` and returns its record; the next minute starts
  // there. REQUIRES: end >= the time of the last event handled.
  MinuteRecord close_minute(Time end);
  // Stops billing provisioned containers from `at` on (the scenario's end: the drain after it is
  // not billed). REQUIRES: at >= the time of the last event handled.
  void stop_billing(Time at);

  int in_flight() const { return in_flight_; }
  int64_t arrivals() const { return arrivals_; }
  const EndpointConfig& config() const { return *config_; }

 private:
  // Fills record_ for a request settled without (further) service.
  RequestRecord& settle_now(const Request& r, Outcome outcome, bool found_busy);
  void admit_warm(uint32_t c, const Request& r, Outcome outcome, bool found_busy);
  void start_cold(const Request& r, Outcome outcome, bool found_busy);
  void serve(uint32_t c);
  void add_provisioned_container();
  void release_provisioned(int count);
  void free_held(uint32_t c);  // a provisioned container stops being held (not yet freed)

  // The idle warm on-demand containers, kept as the selection rule needs them. The default
  // rule's path is inline (it runs for every warm request); the others are out of line.
  uint32_t take_idle_on_demand() {
    if (selection_ == IdleContainerSelection::kMostRecentlyUsed) [[likely]]
      return containers_.pop_idle(idle_on_demand_);
    return take_idle_by_rule();
  }
  void park_idle_on_demand(uint32_t c) {
    if (selection_ != IdleContainerSelection::kNewestCreated) [[likely]]
      containers_.push_idle(idle_on_demand_, c);
    else
      park_newest(c);
  }
  uint32_t take_idle_by_rule();
  void park_newest(uint32_t c);
  void unpark_idle_on_demand(uint32_t c);

  void set_busy(int delta, bool provisioned);
  uint32_t new_container();  // from the pool, counted alive
  void free_container(uint32_t c);

  const Scenario& scenario_;
  const EndpointConfig* config_;
  const PlatformConfig& platform_;
  uint16_t index_;
  Engine& engine_;
  AccountPool& account_;
  double cpu_slowdown_ = 1.0;
  Duration idle_timeout_;
  Capacity capacity_;
  int releasing_ = 0;  // held provisioned containers marked for release

  ContainerPool containers_;
  IdleList idle_provisioned_;
  IdleList idle_on_demand_;    // most or least recently used
  IdleHeap idle_newest_;       // newest created
  IdleContainerSelection selection_;
  int in_flight_ = 0;  // requests being served or waiting for their cold start
  int64_t arrivals_ = 0;

  // Containers alive (starting, idle or busy), busy, starting; provisioned ones held and billed.
  Gauge alive_, busy_, busy_provisioned_, starting_, held_, billed_;
  bool billing_ = true;
  MinuteRecord minute_;
  RequestRecord record_;            // the last settled request, returned by the handlers
  bool record_has_phases_ = false;  // record_.phases is not all zero

  // Container-scoped random streams (requests bring their own: request.hpp).
  ColdStartSampler cold_start_;
  RandomStream first_inference_rng_, provisioning_rng_;
};

}  // namespace slsim
