// Helpers for building scenarios in code, for oracle tests.
#pragma once

#include <stdexcept>
#include <string>

#include "slsim/replication.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario.hpp"
#include "slsim/simulation.hpp"

namespace slsim::testing {

// A platform whose cold starts take no time and whose requests have no overhead, so that
// container occupancy equals the service time (the setting of the Erlang B oracle).
inline PlatformConfig instant_platform() {
  PlatformConfig p;
  p.overhead = Distribution::constant(0.0);
  p.scheduling = Distribution::constant(0.0);
  p.image_cache_hit_probability = 1.0;
  p.artifact_first_byte = 0.0;
  p.artifact_bandwidth = 1e30;
  p.container_init = Distribution::constant(0.0);
  return p;
}

inline ModelConfig instant_model(Distribution service) {
  ModelConfig m;
  m.name = "test";
  m.extraction = Distribution::constant(0.0);
  m.load = Distribution::constant(0.0);
  m.first_inference_extra = Distribution::constant(0.0);
  m.inference = service;
  return m;
}

inline TrafficConfig poisson(double rate) {
  TrafficConfig t;
  t.kind = TrafficKind::kPoisson;
  t.rate = rate;
  return t;
}

// Traffic of exactly one request, `seconds` after the start.
inline TrafficConfig one_request_at(double seconds) {
  TrafficConfig t;
  t.kind = TrafficKind::kFixedInterval;
  t.interval = Duration::seconds(1);
  t.count = 1;
  t.start = Duration::from_seconds(seconds);
  return t;
}

// One endpoint of 2048 MB (≥ 1 vCPU, so service times are not scaled).
inline Scenario one_endpoint(Duration duration, double rate, Distribution service,
                             int max_concurrency, int provisioned = 0,
                             Duration idle_timeout = Duration::minutes(5)) {
  Scenario s;
  s.name = "test";
  s.duration = duration;
  s.seed = 12345;
  s.platform = instant_platform();
  EndpointConfig ep;
  ep.name = "e";
  ep.memory_mb = 2048;
  ep.max_concurrency = max_concurrency;
  ep.provisioned_concurrency = provisioned;
  ep.idle_timeout = idle_timeout;
  ep.model = instant_model(service);
  ep.traffic.push_back(poisson(rate));
  s.endpoints.push_back(ep);
  return s;
}

// Erlang B by the recursion B(0,a) = 1, B(k,a) = a B(k-1,a) / (k + a B(k-1,a)).
inline double erlang_b(int servers, double offered) {
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) b = offered * b / (k + offered * b);
  return b;
}

inline double fraction(const EndpointStats& s, std::initializer_list<Outcome> outcomes) {
  double n = 0;
  for (const Outcome o : outcomes) n += static_cast<double>(s.outcome(o));
  return n / static_cast<double>(s.requests);
}

// Runs every replication of `s` on `threads` threads and builds the report.
inline Report run_report(const Scenario& s, int threads = 2) {
  ReportBuilder builder(s, RunInfo{});
  RunOptions options;
  options.threads = threads;
  std::string error;
  const bool ok = run_replications(
      s, options, [&](int, ReplicationResult&& r) { builder.add(r); }, error);
  if (!ok) throw std::runtime_error(error);
  return builder.report();
}

}  // namespace slsim::testing
