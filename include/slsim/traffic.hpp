// Traffic profiles: how requests arrive at one endpoint. Several profiles on one endpoint add up.
// Open profiles generate their next arrival when the previous one happens, so a source keeps at
// most one pending event and memory does not grow with the number of requests.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "slsim/distribution.hpp"
#include "slsim/engine.hpp"
#include "slsim/random.hpp"
#include "slsim/request.hpp"
#include "slsim/time.hpp"

namespace slsim {

enum class TrafficKind {
  kPoisson,        // constant rate λ
  kSchedule,       // piecewise-constant rate, optionally repeating
  kDiurnal,        // sinusoid: mean × (1 + amplitude × cos(2π (t − peak_at) / period))
  kBursts,         // on/off: Poisson at `rate` during on-periods, silent during off-periods
  kFixedInterval,  // one request every `interval` (the seed notebook's protocol)
  kClosedLoop,     // `clients` clients: send, wait for the response, think, repeat
};

struct RateStep {
  Duration at;        // offset from the profile's start (or from the start of each repeat)
  double rate = 0.0;  // requests per second from `at` on
};

struct TrafficConfig {
  TrafficKind kind = TrafficKind::kPoisson;
  // Optional; names the profile's random streams, on whichever endpoint: profiles of one name
  // draw the same numbers, so endpoints given the same named traffic see the same requests.
  // Default: the endpoint's name, the type and "#<k>", its position among the endpoint's
  // profiles of that type, so adding a profile of another type leaves its requests unchanged.
  std::string name;
  double rate = 0.0;                      // poisson, bursts (rate while on); requests/s
  std::vector<RateStep> steps;            // schedule; steps[0].at == 0, increasing
  Duration repeat;                        // schedule; 0 = the last rate holds for ever
  double mean_rate = 0.0;                 // diurnal
  double amplitude = 0.0;                 // diurnal, in [0, 1]
  Duration period = Duration::hours(24);  // diurnal. Default: one day.
  Duration peak_at;                       // diurnal: time of day of the peak
  Distribution on_duration;               // bursts
  Distribution off_duration;              // bursts
  Duration interval;                      // fixed_interval
  int64_t count = -1;                     // fixed_interval: number of requests; -1 = until the end
  int clients = 0;                        // closed_loop
  Distribution think_time;                // closed_loop
  Duration start;                  // first possible arrival. Default: 0 (fixed_interval: interval)
  Duration end = Duration::max();  // no arrival at or after; clipped to the scenario duration
  // Request body size (bytes). Default: 64 B, the seed's one-row CSV payload
  // (".345,0.224414,.131102,0.042329,.279923,-0.110329,-0.099358,0.0").
  Distribution payload = Distribution::constant(64.0);
};

// The run-time state of one profile: its random streams and where it is in its pattern. It
// schedules its own arrivals (EventKind::kArrival, target = its source index) and draws each
// request from its streams (request.hpp). Time never wraps: a gap past the scenario's end means
// no more arrivals.
class TrafficGenerator {
 public:
  // `stream_base` keys the random streams (e.g. "traffic/scoring/poisson#0").
  TrafficGenerator(const TrafficConfig& config, uint32_t endpoint, Time horizon, uint64_t seed,
                   uint64_t replication, const std::string& stream_base,
                   const RequestDistributions& distributions);

  // Schedules the first arrival (`clients` staggered ones for a closed loop).
  void start(Engine& engine, uint32_t self);
  // The request arriving now; schedules the next arrival of an open profile.
  Request arrive(Engine& engine, uint32_t self);
  // A closed loop's client got its response at `at`: it thinks, then sends again.
  void on_response(Time at, Engine& engine, uint32_t self);
  bool wants_responses() const { return config_->kind == TrafficKind::kClosedLoop; }

  const TrafficConfig& config() const { return *config_; }

 private:
  Time clip(Time t) const { return t < end_ ? t : Time::max(); }
  Time after(Time t, double seconds) const {
    return t.plus_saturated(Duration::from_seconds(seconds));
  }
  double exponential(double rate) { return arrival_rng_.exponential() / rate; }
  Time first_arrival();
  Time next_arrival(Time now);
  Time next_scheduled(Time now);
  Time next_diurnal(Time now);
  Time next_burst(Time now);
  void schedule(Engine& engine, Time at, uint32_t self);

  const TrafficConfig* config_;
  uint32_t endpoint_;
  Time start_;
  Time end_;
  RandomStream arrival_rng_;
  RequestDraws draws_;
  RequestDistributions distributions_;
  int64_t emitted_ = 0;
  Time on_until_;            // bursts: end of the current on-period
  bool any_traffic_ = true;  // false when the profile can never produce an arrival
};

}  // namespace slsim
