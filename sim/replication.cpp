#include "slsim/replication.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "slsim/csv_log.hpp"
#include "slsim/csv_recorders.hpp"

namespace slsim {

bool run_replications(const Scenario& scenario, const RunOptions& options,
                      const ResultConsumer& consume, std::string& error) {
  const int n = scenario.replications;
  const int threads = std::clamp(options.threads, 1, n);
  // A replication may start only while fewer than `window` results wait for an earlier one.
  const int window = 2 * threads;
  std::mutex mutex;
  std::condition_variable moved_on;
  std::map<int, ReplicationResult> waiting;
  int next_to_start = 0, next_to_consume = 0;
  bool failed = false;

  auto fail = [&](const std::string& message) {
    std::lock_guard lock(mutex);
    if (error.empty()) error = message;
    failed = true;
    moved_on.notify_all();
  };
  auto open_log = [&](const std::string& stem, int k) -> std::unique_ptr<CsvLog> {
    if (stem.empty()) return nullptr;
    auto log = std::make_unique<CsvLog>(fmt::format("{}.{}", stem, k));
    if (!log->ok()) fail(fmt::format("cannot write {}.{}", stem, k));
    return log;
  };
  auto worker = [&](int slot) {
    for (;;) {
      int k;
      {
        std::unique_lock lock(mutex);
        moved_on.wait(lock, [&] { return failed || next_to_start < next_to_consume + window; });
        if (failed || next_to_start >= n) return;
        k = next_to_start++;
      }
      const auto requests_log = open_log(options.requests_csv_stem, k);
      const auto metrics_log = open_log(options.metrics_csv_stem, k);
      const auto scaling_log = open_log(options.scaling_csv_stem, k);
      std::unique_ptr<RequestsCsvRecorder> requests;
      std::unique_ptr<MetricsCsvRecorder> metrics;
      std::unique_ptr<ScalingCsvRecorder> scaling;
      if (scaling_log) scaling = std::make_unique<ScalingCsvRecorder>(scenario, k, *scaling_log);
      if (requests_log)
        requests = std::make_unique<RequestsCsvRecorder>(scenario, k, *requests_log);
      if (metrics_log)
        metrics = std::make_unique<MetricsCsvRecorder>(scenario, k, *metrics_log,
                                                       options.metrics_period_minutes);
      SimulationControl control;
      control.stop = options.stop;
      if (options.progress) control.simulated_ns = &options.progress->simulated_ns[slot];
      Simulation sim(scenario, static_cast<uint64_t>(k),
                     Recorders{metrics.get(), requests.get(), nullptr, scaling.get()}, control);
      ReplicationResult result = sim.run();
      for (CsvLog* log : {requests_log.get(), metrics_log.get(), scaling_log.get()})
        if (log && !log->close()) fail("writing a result file failed (disk full?)");
      if (!result.input_error.empty()) fail(result.input_error);
      if (result.interrupted) fail("interrupted");
      if (options.progress) {
        int64_t settled = 0;
        for (const auto& e : result.endpoints) settled += e.requests;
        options.progress->requests += settled;
        options.progress->simulated_ns[slot] = 0;
        ++options.progress->done;
      }
      std::lock_guard lock(mutex);
      if (failed) return;
      waiting.emplace(k, std::move(result));
      // Hand over every result whose predecessors are all consumed, in order.
      for (auto it = waiting.begin(); it != waiting.end() && it->first == next_to_consume;
           it = waiting.erase(it), ++next_to_consume)
        consume(it->first, std::move(it->second));
      moved_on.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& t : pool) t.join();
  return !failed && next_to_consume == n;
}

}  // namespace slsim
