#include "slsim/replication.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "slsim/request_log.hpp"

namespace slsim {

bool run_replications(const Scenario& scenario, const RunOptions& options,
                      std::vector<ReplicationResult>& results, std::string& error) {
  const int n = scenario.replications;
  results.assign(static_cast<size_t>(n), ReplicationResult{});
  std::atomic<int> next{0};
  std::mutex error_mutex;
  auto worker = [&] {
    for (int k = next++; k < n; k = next++) {
      std::unique_ptr<RequestLog> log;
      if (!options.requests_csv_stem.empty()) {
        const std::string path = fmt::format("{}.{}", options.requests_csv_stem, k);
        log = std::make_unique<RequestLog>(path);
        if (!log->ok()) {
          std::lock_guard lock(error_mutex);
          error = "cannot write " + path;
          continue;
        }
      }
      Simulation sim(scenario, static_cast<uint64_t>(k), log.get());
      results[static_cast<size_t>(k)] = sim.run();
      if (log && !log->close()) {
        std::lock_guard lock(error_mutex);
        error = "writing the per-request file failed (disk full?)";
      }
    }
  };
  const int threads = std::clamp(options.threads, 1, n);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return error.empty();
}

}  // namespace slsim
