// What a user configures: the platform's rules and timings, a model, and an endpoint serving it.
// Every field states its unit and default, and the source of the default (DESIGN.md §1–2).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "slsim/autoscaling.hpp"
#include "slsim/distribution.hpp"
#include "slsim/time.hpp"
#include "slsim/traffic.hpp"

namespace slsim {

// Valid SageMaker serverless settings (API ProductionVariantServerlessConfig; DESIGN.md §1).
inline constexpr int kMemorySizesMb[] = {1024, 2048, 3072, 4096, 5120, 6144};
inline constexpr int kMaxConcurrencyLimit = 200;

// Which idle warm on-demand container serves a request when there are several. SageMaker does
// not document it; it matters at short idle timeouts, where it decides which containers live
// long enough to expire (DESIGN.md §1).
enum class IdleContainerSelection : uint8_t {
  kMostRecentlyUsed,   // the others stay idle and expire: fewest containers kept
  kLeastRecentlyUsed,  // round robin: every container kept warm, more of them alive
  kNewestCreated,      // SimFaaS's rule (Mahmoudi & Khazaei, 2021): the youngest container
};

// The platform: shared by every endpoint of a scenario. Defaults model SageMaker Serverless
// Inference; change them to model another platform.
struct PlatformConfig {
  // Concurrent on-demand invocations plus provisioned concurrency, all endpoints together.
  // Default: 1000, SageMaker's account limit in large regions (DESIGN.md §1).
  int account_concurrency_limit = 1000;
  // Idle time after which an on-demand container is reclaimed. SageMaker does not document it
  // (aws/sagemaker-python-sdk #3446). Default: 5 min: AWS Lambda's observed ≈ 5 min
  // (published_numbers), and short enough that the seed notebook's requests 10 min apart are
  // all cold, as it reports. Lambda's 10 min or Azure's 20 min would make them warm.
  Duration idle_timeout = Duration::minutes(5);
  // Default: most recently used, which lets surplus containers expire (the routing most
  // serverless platforms are described with; SageMaker documents none).
  IdleContainerSelection idle_container_selection = IdleContainerSelection::kMostRecentlyUsed;
  // Client + front-end overhead per request, outside the container (CloudWatch OverheadLatency
  // for a warm request). Default: lognormal median 190 ms, p99 400 ms, so a warm request of the
  // seed's XGBoost model takes ≈ 0.2 s end to end, as the seed measured with provisioned
  // concurrency (seeds/001).
  Distribution overhead = Distribution::lognormal_median_p99(0.190, 0.400);
  // Cold-start phases (DESIGN.md §1). No public per-phase SageMaker measurement exists
  // (data/REPORT.md, gap 4); defaults split the seed's ≈ 6 s on-demand latency by the shares
  // Huawei measured over 11.9 M cold starts (data/huawei2025_coldstart_meta): scheduling 51 %,
  // code deploy 23 %, dependency deploy 15 %, pod allocation 10 %.
  // Placement/scheduling ≈ 51 % of 5.8 s: lognormal mean 2.95 s, sd 1.5 s.
  Distribution scheduling = Distribution::lognormal_mean_sd(2.95, 1.5);
  // Image pull = image size / bandwidth, skipped on a host-cache hit. With the default 1.2 GB
  // image: ≈ 1.34 s ≈ the 23 % "code deploy" share.
  double image_pull_bandwidth = 900.0 * 1024 * 1024;  // bytes/s. Default: 900 MB/s.
  double image_cache_hit_probability = 0.0;           // Default: 0 (every start pulls).
  // Model artifact download = first-byte latency + size / bandwidth (S3 GET).
  double artifact_bandwidth = 100.0 * 1024 * 1024;  // bytes/s. Default: 100 MB/s.
  double artifact_first_byte = 0.050;               // seconds. Default: 50 ms.
  // Model server start until /ping answers ≈ 15 % "dependency deploy" + pod allocation 10 %
  // of 5.8 s: lognormal mean 1.3 s, sd 0.4 s.
  Distribution container_init = Distribution::lognormal_mean_sd(1.3, 0.4);
  // A container that is not ready (download + /ping) within this fails to start.
  // Default: 3 min (SageMaker container contract, DESIGN.md §1).
  Duration start_timeout = Duration::minutes(3);
  // Longer invocations end as errors. Default: 60 s (SageMaker serverless, DESIGN.md §1).
  Duration invocation_timeout = Duration::seconds(60);
  // Time until a newly added provisioned container serves (capacity raised at run time, e.g. by
  // autoscaling). Default: none set, so the container goes through the same cold-start phases
  // as an on-demand one (scheduling, image pull, artifact download, extraction, model load,
  // container init, first inference): a provisioned container must load the same image and
  // model, and SageMaker documents no separate figure. Set a distribution to override.
  std::optional<Distribution> provisioning_delay;
  // Larger request payloads are rejected (HTTP 413). Default: 4 MB (serverless, DESIGN.md §1).
  double max_payload_bytes = 4.0 * 1024 * 1024;
  // CPU share rule: a container gets memory / memory_per_vcpu vCPUs. Default: 1769 MB per
  // vCPU, AWS Lambda's documented rule ("at 1,769 MB a function has one vCPU"); SageMaker only
  // says larger memory "devotes more compute resources" (seeds/001).
  double memory_per_vcpu_mb = 1769.0;
};

// The model a container serves. CPU-bound times are stated for one full vCPU and scaled by
// 1 / min(vCPUs, threads) for the endpoint's memory size.
struct ModelConfig {
  std::string name;
  // Where the timings come from, for reports: "typed in" or the calibration file and size.
  std::string source = "typed-in distributions";
  // Container image size; pulled at cold start. Default: 1.2 GB, the order of SageMaker's
  // XGBoost 1.7 serving image.
  double image_size_bytes = 1.2 * 1024 * 1024 * 1024;
  // model.tar.gz size. Default: 100 KB, an abalone XGBoost model with ~100 trees.
  double artifact_size_bytes = 100.0 * 1024;
  // Memory the loaded model occupies in a container (scenario key `loaded_size`, else the
  // calibration's measurement); an endpoint with less memory is rejected (model_size.hpp).
  // Default: 0, unknown and not checked.
  double loaded_size_bytes = 0;
  std::string loaded_size_source;  // for messages: "typed in as loaded_size", a calibration
  // Artifact extraction (CPU, at 1 vCPU). Default: 20 ms.
  Distribution extraction = Distribution::lognormal_median_p99(0.020, 0.060);
  // Model load: deserialise into memory (CPU, at 1 vCPU). Default: 150 ms.
  Distribution load = Distribution::lognormal_median_p99(0.150, 0.400);
  // Steady-state inference incl. payload parsing (CPU, at 1 vCPU). Default: median 2 ms,
  // p99 8 ms for a one-row XGBoost prediction (to be replaced by a calibration).
  Distribution inference = Distribution::lognormal_median_p99(0.002, 0.008);
  // Extra time of the first inference on a fresh container (lazy init, caches; at 1 vCPU).
  // Default: 30 ms.
  Distribution first_inference_extra = Distribution::lognormal_median_p99(0.030, 0.100);
  // Response body size (bytes). Default: 16 B, one predicted value as text.
  Distribution response_size = Distribution::constant(16.0);
  // Threads one request can use. Default: 1 (one worker per container, seeds/001 best practice).
  int threads = 1;
};

enum class EndpointKind : uint8_t { kServerless, kRealTime };

// A real-time endpoint, for comparison (DESIGN.md §2): instances of a type, always on and billed
// per instance-hour, each running workers that take requests from one FIFO queue. Requests wait
// instead of being throttled; there is no cold start. Capacity is the instance count.
struct RealTimeConfig {
  std::string instance_type = "ml.m5.large";
  double vcpus = 2.0;      // of the instance type (the pricing file's instance table)
  double per_hour = 0.0;   // $ per instance-hour (the pricing file's instance table)
  int instance_count = 1;  // 1..100
  // Default: 0 = one worker per vCPU, as SageMaker's model servers start by default.
  int workers_per_instance = 0;
  // Time until an instance added by autoscaling serves. SageMaker documents no figure;
  // launching an instance and loading the model take minutes. Default: 5 min.
  Distribution launch_delay = Distribution::constant(300.0);
  int workers() const {
    return workers_per_instance > 0 ? workers_per_instance : std::max(1, static_cast<int>(vcpus));
  }
};

struct EndpointConfig {
  EndpointKind kind = EndpointKind::kServerless;
  RealTimeConfig real_time;  // kind == kRealTime only
  std::string name;
  int memory_mb = 2048;                  // One of kMemorySizesMb. Default: 2048 MB.
  int max_concurrency = 20;              // 1..200. Default: 20 (SageMaker console default).
  int provisioned_concurrency = 0;       // 0 (none) or 1..max_concurrency. Default: 0.
  std::optional<Duration> idle_timeout;  // Default: the platform's idle_timeout.
  // Application Auto Scaling of provisioned_concurrency. Default: none (it stays as set).
  std::optional<AutoscalingConfig> autoscaling;
  ModelConfig model;
  std::vector<TrafficConfig> traffic;

  Duration effective_idle_timeout(const PlatformConfig& platform) const {
    return idle_timeout.value_or(platform.idle_timeout);
  }
  // vCPUs for this memory size under the platform's rule.
  double vcpus(const PlatformConfig& platform) const {
    return memory_mb / platform.memory_per_vcpu_mb;
  }
  // Multiplier applied to CPU-bound phases: 1 / min(vCPUs, threads), where a real-time
  // endpoint's worker has the instance's vCPUs shared among its workers.
  double cpu_slowdown(const PlatformConfig& platform) const {
    const double per_worker =
        kind == EndpointKind::kRealTime ? real_time.vcpus / real_time.workers() : vcpus(platform);
    const double usable = std::min(per_worker, static_cast<double>(model.threads));
    return 1.0 / usable;
  }
  // $ per instance-hour of a real-time endpoint; 0 for a serverless one.
  double instance_per_hour() const {
    return kind == EndpointKind::kRealTime ? real_time.per_hour : 0.0;
  }
};

}  // namespace slsim
