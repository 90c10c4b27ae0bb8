#include "slsim/metrics_csv.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace slsim {

const char* metrics_csv_header() {
  return "replication,endpoint,minute,timestamp_s,Invocations,ModelLatency,OverheadLatency,"
         "ModelSetupTime,Invocation4XXErrors,Invocation5XXErrors,"
         "ServerlessProvisionedConcurrencyExecutions,"
         "ServerlessProvisionedConcurrencyUtilization,"
         "ServerlessProvisionedConcurrencyInvocations,"
         "ServerlessProvisionedConcurrencySpilloverInvocations,ColdStarts,Throttles,"
         "BusyContainers,MaxBusyContainers,WarmIdleContainers,ProvisioningContainers,"
         "ProvisionedCapacity,CostUSD\n";
}

const char* requests_csv_header() {
  return "replication,endpoint,arrival_s,outcome,latency_s,model_latency_s,overhead_s,"
         "scheduling_s,image_pull_s,artifact_download_s,extraction_s,model_load_s,"
         "container_init_s,payload_bytes\n";
}

void append_minute_row(std::string& out, const Scenario& scenario, size_t endpoint,
                       uint64_t replication, int64_t minute, const MinuteRow& row,
                       double minute_seconds) {
  const EndpointConfig& config = scenario.endpoints[endpoint];
  const double start = 60.0 * static_cast<double>(minute);
  const double pc = config.provisioned_concurrency;
  Usage usage;
  usage.on_demand_billed_seconds = row.billed_on_demand_seconds;
  usage.provisioned_billed_seconds = row.billed_provisioned_seconds;
  // Provisioned concurrency is billed over the scenario duration only, not the drain after it.
  usage.provisioned_container_seconds =
      pc * std::clamp(scenario.duration.seconds_f() - start, 0.0, minute_seconds);
  usage.data_bytes = row.data_bytes;
  const Cost cost = compute_cost(scenario.pricing, config.memory_mb, usage);
  const auto avg_us = [](double sum, int64_t n) {
    return n ? fmt::format("{:.1f}", sum / static_cast<double>(n) * 1e6) : std::string();
  };
  const double executions = row.busy_provisioned_seconds / minute_seconds;
  fmt::format_to(std::back_inserter(out),
                 "{},{},{},{:.0f},{},{},{},{},{},{},{:.4f},{},{},{},{},{},{:.4f},{},{:.4f},{:.4f},{"
                 ":.0f},{:.9f}\n",
                 replication, config.name, minute, start, row.invocations,
                 avg_us(row.model_latency_sum, row.model_latency_count),
                 avg_us(row.overhead_latency_sum, row.model_latency_count),
                 avg_us(row.model_setup_sum, row.model_setup_count), row.errors_4xx, row.errors_5xx,
                 executions, pc > 0 ? fmt::format("{:.4f}", executions / pc) : std::string(),
                 row.provisioned_invocations, row.spillover_invocations, row.cold_starts,
                 row.throttles, row.busy_seconds / minute_seconds, row.max_busy,
                 row.idle_seconds / minute_seconds, row.provisioning_seconds / minute_seconds, pc,
                 cost.total());
}

}  // namespace slsim
