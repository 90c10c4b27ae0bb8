#include "slsim/csv_recorders.hpp"

#include <fmt/format.h>

#include <cmath>

#include "slsim/calendar.hpp"

namespace slsim {

const char* metrics_csv_header() {
  return "replication,endpoint,minute,timestamp,period_s,Invocations,ModelLatency,"
         "OverheadLatency,ModelSetupTime,Invocation4XXErrors,Invocation5XXErrors,"
         "ServerlessProvisionedConcurrencyExecutions,"
         "ServerlessProvisionedConcurrencyUtilization,"
         "ServerlessProvisionedConcurrencyInvocations,"
         "ServerlessProvisionedConcurrencySpilloverInvocations,ColdStarts,Throttles,"
         "BusyContainers,MaxBusyContainers,WarmIdleContainers,ProvisioningContainers,"
         "ProvisionedContainers,ProvisionedCapacity,CostUSD\n";
}

const char* requests_csv_header() {
  return "replication,endpoint,arrival_s,outcome,cold,latency_s,model_latency_s,overhead_s,"
         "scheduling_s,image_pull_s,artifact_download_s,extraction_s,model_load_s,"
         "container_init_s,payload_bytes,response_bytes,billed_ms\n";
}

const char* scaling_csv_header() {
  return "replication,endpoint,time_s,timestamp,cause,action,old_capacity,desired_capacity,"
         "new_capacity,min_capacity,max_capacity,datapoints\n";
}

MetricsCsvRecorder::MetricsCsvRecorder(const Scenario& scenario, uint64_t replication, CsvLog& log,
                                       int64_t period_minutes)
    : scenario_(scenario),
      replication_(replication),
      log_(log),
      period_minutes_(period_minutes),
      pending_(scenario.endpoints.size()),
      minutes_(scenario.endpoints.size(), 0) {}

void MetricsCsvRecorder::minute(const MinuteRecord& m) {
  const size_t e = m.endpoint;
  if (minutes_[e] == 0)
    pending_[e] = m;
  else
    pending_[e].absorb(m);
  if (++minutes_[e] == period_minutes_) {
    write(pending_[e]);
    minutes_[e] = 0;
  }
}

void MetricsCsvRecorder::finish() {
  for (size_t e = 0; e < pending_.size(); ++e)
    if (minutes_[e] > 0) {
      write(pending_[e]);
      minutes_[e] = 0;
    }
}

void MetricsCsvRecorder::write(const MinuteRecord& row) {
  const EndpointConfig& config = scenario_.endpoints[row.endpoint];
  const Cost cost =
      compute_cost(scenario_.pricing, config.memory_mb, row.usage(), config.instance_per_hour());
  const auto avg_us = [](Duration sum, int64_t n) {
    return n ? fmt::format("{:.1f}", static_cast<double>(sum.ns()) / static_cast<double>(n) * 1e-3)
             : std::string();
  };
  // The ServerlessProvisionedConcurrency* metrics exist only for serverless endpoints:
  // CloudWatch publishes nothing for them on a real-time one, so those cells stay empty.
  const bool serverless = config.kind != EndpointKind::kRealTime;
  const double utilization = row.provisioned_utilization();
  const auto serverless_only = [&](std::string cell) { return serverless ? cell : std::string(); };
  std::string& out = log_.buffer();
  fmt::format_to(
      std::back_inserter(out),
      "{},{},{},{},{:g},{},{},{},{},{},{},{},{},{},{},{},{},{:.4f},{},{:.4f},{:.4f},"
      "{:.4f},{},{:.9f}\n",
      replication_, config.name, row.index, format_utc(at_simulated(scenario_.start, row.start)),
      row.length().seconds_f(), row.invocations, avg_us(row.model_latency_sum, row.completions),
      avg_us(row.overhead_latency_sum, row.completions),
      avg_us(row.model_setup_sum, row.model_setups), row.errors_4xx, row.errors_5xx,
      serverless_only(fmt::format("{:.4f}", row.provisioned_executions())),
      std::isnan(utilization) ? std::string() : serverless_only(fmt::format("{:.4f}", utilization)),
      serverless_only(fmt::format("{}", row.provisioned_invocations)),
      serverless_only(fmt::format("{}", row.spillover_invocations)), row.cold_starts, row.throttles,
      row.mean(row.busy_ns), row.max_busy, row.mean(row.idle_ns), row.mean(row.provisioning_ns),
      row.mean(row.provisioned_ns), row.provisioned_capacity, cost.total());
  log_.maybe_flush();
}

void RequestsCsvRecorder::request(const RequestRecord& r) {
  std::string& out = log_.buffer();
  fmt::format_to(std::back_inserter(out), "{},{},{:.9f},{},{:d},{:.9f},{:.9f},{:.9f}", replication_,
                 scenario_.endpoints[r.endpoint].name, r.arrival.seconds_f(),
                 outcome_name(r.outcome), r.cold, r.latency().seconds_f(), r.model.seconds_f(),
                 r.overhead.seconds_f());
  for (size_t p = 0; p < kPhaseCount; ++p)
    fmt::format_to(std::back_inserter(out), ",{:.9f}", r.phases[p].seconds_f());
  fmt::format_to(std::back_inserter(out), ",{:.0f},{:.0f},{}\n", r.payload_bytes, r.response_bytes,
                 r.billed_ms);
  log_.maybe_flush();
}

void ScalingCsvRecorder::scaling(const ScalingRecord& r) {
  std::string& out = log_.buffer();
  std::string action;  // quoted, quotes doubled (RFC 4180): cron lists have commas
  for (const char c : r.action) action += c == '"' ? std::string("\"\"") : std::string(1, c);
  fmt::format_to(std::back_inserter(out), "{},{},{:.3f},{},{},\"{}\",{},{},{},{},{},", replication_,
                 scenario_.endpoints[r.endpoint].name, r.at.seconds_f(),
                 format_utc(at_simulated(scenario_.start, r.at)), cause_name(r.cause), action,
                 r.old_capacity, r.desired_capacity, r.new_capacity, r.min_capacity,
                 r.max_capacity);
  for (size_t i = 0; i < r.datapoints.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}{}", i ? ";" : "",
                   std::isnan(r.datapoints[i]) ? std::string("missing")
                                               : fmt::format("{:.4f}", r.datapoints[i]));
  out += '\n';
  log_.maybe_flush();
}

}  // namespace slsim
