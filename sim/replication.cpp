#include "slsim/replication.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "slsim/csv_log.hpp"

namespace slsim {

bool run_replications(const Scenario& scenario, const RunOptions& options,
                      std::vector<ReplicationResult>& results, std::string& error) {
  const int n = scenario.replications;
  results.assign(static_cast<size_t>(n), ReplicationResult{});
  std::atomic<int> next{0};
  std::mutex error_mutex;
  auto open_log = [&](const std::string& stem, int k) -> std::unique_ptr<CsvLog> {
    if (stem.empty()) return nullptr;
    auto log = std::make_unique<CsvLog>(fmt::format("{}.{}", stem, k));
    if (!log->ok()) {
      std::lock_guard lock(error_mutex);
      error = fmt::format("cannot write {}.{}", stem, k);
    }
    return log;
  };
  auto worker = [&] {
    for (int k = next++; k < n; k = next++) {
      if (options.stop && options.stop->load()) break;  // HARDENING (issue 8)
      const auto requests = open_log(options.requests_csv_stem, k);
      const auto metrics = open_log(options.metrics_csv_stem, k);
      Simulation sim(scenario, static_cast<uint64_t>(k),
                     SimulationLogs{requests.get(), metrics.get()});
      sim.set_stop(options.stop);  // HARDENING (issue 8)
      results[static_cast<size_t>(k)] = sim.run();
      for (CsvLog* log : {requests.get(), metrics.get()})
        if (log && !log->close()) {
          std::lock_guard lock(error_mutex);
          error = "writing a result file failed (disk full?)";
        }
    }
  };
  const int threads = std::clamp(options.threads, 1, n);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (options.stop && options.stop->load()) error = "interrupted";  // HARDENING (issue 8)
  return error.empty();
}

}  // namespace slsim
