#include "slsim/cold_start.hpp"

#include <string>

namespace slsim {

ColdStartSampler::ColdStartSampler(const Scenario& scenario, const EndpointConfig& endpoint,
                                   uint64_t replication)
    : platform_(&scenario.platform),
      model_(&endpoint.model),
      cpu_slowdown_(endpoint.cpu_slowdown(scenario.platform)) {
  const std::string base = "endpoint/" + endpoint.name;
  image_cache_rng_ = RandomStream(scenario.seed, replication, base + "/image_cache");
  for (size_t p = 0; p < kPhaseCount; ++p)
    phase_rng_[p] = RandomStream(scenario.seed, replication,
                                 base + "/phase/" + phase_name(static_cast<Phase>(p)));
}

Duration ColdStartSampler::sample(PhaseDurations& phases, Duration limit, bool& cut) {
  const PlatformConfig& platform = *platform_;
  const ModelConfig& model = *model_;
  std::array<double, kPhaseCount> s{};
  auto& rng = phase_rng_;
  s[size_t(Phase::kScheduling)] = platform.scheduling.sample(rng[size_t(Phase::kScheduling)]);
  const bool cached = image_cache_rng_.uniform_open() < platform.image_cache_hit_probability;
  s[size_t(Phase::kImagePull)] =
      cached ? 0.0 : model.image_size_bytes / platform.image_pull_bandwidth;
  s[size_t(Phase::kArtifactDownload)] =
      platform.artifact_first_byte + model.artifact_size_bytes / platform.artifact_bandwidth;
  s[size_t(Phase::kExtraction)] =
      model.extraction.sample(rng[size_t(Phase::kExtraction)]) * cpu_slowdown_;
  s[size_t(Phase::kModelLoad)] = model.load.sample(rng[size_t(Phase::kModelLoad)]) * cpu_slowdown_;
  s[size_t(Phase::kContainerInit)] =
      platform.container_init.sample(rng[size_t(Phase::kContainerInit)]);
  // Phases run in sequence; the one running at the limit is cut there and later ones never run.
  Duration elapsed;
  cut = false;
  for (size_t p = 0; p < kPhaseCount; ++p) {
    Duration d = Duration::from_seconds(s[p]);
    if (d > limit - elapsed) {
      d = limit - elapsed;
      cut = true;
    }
    phases[p] = d;
    elapsed += d;
  }
  return elapsed;
}

}  // namespace slsim
