// How much work a scenario's traffic makes, estimated before it runs, so that a scenario that
// cannot finish in reasonable time (a rate of 1e12/s, a 1 ns interval over a year) is rejected
// with the estimate instead of hanging. Expected values: a run's actual count varies around them.
#pragma once

#include <string>

#include "slsim/scenario.hpp"
#include "slsim/traffic.hpp"

namespace slsim {

struct TrafficEstimate {
  double arrivals = 0.0;  // expected requests in [0, horizon)
  // Generator steps that are not arrivals: candidate arrivals thinned away (diurnal), on/off
  // periods (bursts), step boundaries crossed (schedule). +infinity if the generator would
  // loop without advancing (bursts whose on and off periods are both 0).
  double steps = 0.0;
  double work() const { return arrivals + steps; }
};

// Expected work of profile `t` over [0, horizon). A closed loop's clients each send one request
// per think time plus response time; `min_response_seconds` (e.g. the platform's mean
// overhead) bounds the response time from below, so the estimate errs high.
TrafficEstimate expected_arrivals(const TrafficConfig& t, Duration horizon,
                                  double min_response_seconds = 0.0);

// Expected work of the whole run: every profile of every endpoint, times the replications.
double expected_work(const Scenario& s);

// "" when expected_work(s) is within kMaxEstimatedRequests (limits.hpp); else the estimate and
// what to change.
std::string workload_problem(const Scenario& s);

}  // namespace slsim
