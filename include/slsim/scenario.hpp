// A scenario: everything one run needs, filled by the YAML loader (scenario_loader.hpp) and by
// command-line overrides. Data only; the model lives in Simulation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slsim/calendar.hpp"
#include "slsim/cost.hpp"
#include "slsim/endpoint.hpp"
#include "slsim/time.hpp"
#include "slsim/trace.hpp"

namespace slsim {

struct Scenario {
  std::string name;
  std::string description;
  std::string source_path;  // the YAML file it came from
  std::string source_text;  // its text, for the report
  // Arrivals happen in [0, duration); requests in flight then run to completion.
  Duration duration = Duration::hours(1);
  // The UTC instant of simulated time 0. Default: kDefaultStart (calendar.hpp).
  UtcTime start = kDefaultStart;
  uint64_t seed = 1;     // Default: 1.
  int replications = 1;  // Default: 1.
  PlatformConfig platform;
  std::string pricing_path;  // Default: default_pricing_path() (data_paths.hpp).
  Pricing pricing;
  std::vector<EndpointConfig> endpoints;
  // Trace replays (trace.hpp): those of the scenario's `traces:` and the trace types in
  // endpoints' traffic, each routed to its endpoints.
  std::vector<TraceConfig> traces;
  // The other files the loader read into the scenario (calibration files, trace durations
  // files), absolute, in the order read: a sweep's manifest hashes them with the traces' and
  // the pricing file (sweep_folder.hpp).
  std::vector<std::string> data_files;
  // Rows of streamed traces that cannot be replayed are counted and left out instead of
  // stopping the run (`--skip-bad-rows`). Default: false.
  bool skip_bad_rows = false;
};

}  // namespace slsim
