// A cold start's phases, in sequence (DESIGN.md §1): placement/scheduling, image pull (image size
// ÷ bandwidth, skipped on a host-cache hit), model artifact download (first byte + size ÷
// bandwidth), extraction and model load (CPU-bound: scaled by the endpoint's CPU share), container
// init until /ping answers. Each phase draws from its own stream of the endpoint, so a change of
// one phase's distribution leaves the others' numbers as they were.
#pragma once

#include <array>
#include <cstdint>

#include "slsim/random.hpp"
#include "slsim/records.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

class ColdStartSampler {
 public:
  ColdStartSampler() = default;
  // REQUIRES: `scenario` (and so `endpoint`) outlives the sampler.
  ColdStartSampler(const Scenario& scenario, const EndpointConfig& endpoint, uint64_t replication);

  // Samples one cold start's phases into `phases`, cut at `limit`: the phase running at the limit
  // ends there and later ones are 0. Returns their total (<= limit) and sets `cut` when the limit
  // cut them.
  Duration sample(PhaseDurations& phases, Duration limit, bool& cut);

 private:
  const PlatformConfig* platform_ = nullptr;
  const ModelConfig* model_ = nullptr;
  double cpu_slowdown_ = 1.0;
  RandomStream image_cache_rng_;
  std::array<RandomStream, kPhaseCount> phase_rng_;
};

}  // namespace slsim
