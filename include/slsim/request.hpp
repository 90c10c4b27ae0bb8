// A request as its arrival source produced it: when it came and everything intrinsic to it. All
// of it is drawn at arrival from the source's own random streams, whatever then happens to the
// request, so two configurations of one scenario (other memory, concurrency, provisioned
// concurrency or idle timeout) see the same requests: common random numbers (DESIGN.md §3).
#pragma once

#include <cstdint>
#include <string>

#include "slsim/distribution.hpp"
#include "slsim/random.hpp"
#include "slsim/time.hpp"

namespace slsim {

struct Request {
  Time arrival;
  Duration overhead;      // client + front end (platform `overhead`)
  double demand_s = 0.0;  // inference at one vCPU, seconds (the model's `inference`)
  double payload_bytes = 0.0;
  double response_bytes = 0.0;
  uint32_t source = 0;
  uint32_t endpoint = 0;
};

// The distributions an endpoint's requests are drawn from (owned by the scenario).
struct RequestDistributions {
  const Distribution* overhead = nullptr;
  const Distribution* demand = nullptr;
  const Distribution* response = nullptr;
};

// One stream per intrinsic quantity, keyed `<base>/payload`, `/overhead`, `/demand`, `/response`:
// a quantity's draws do not depend on how many draws another one took.
class RequestDraws {
 public:
  RequestDraws() = default;
  RequestDraws(uint64_t seed, uint64_t replication, const std::string& base)
      : payload_(seed, replication, base + "/payload"),
        overhead_(seed, replication, base + "/overhead"),
        demand_(seed, replication, base + "/demand"),
        response_(seed, replication, base + "/response") {}

  Request draw(Time arrival, uint32_t source, uint32_t endpoint, const Distribution& payload,
               const RequestDistributions& d) {
    Request r;
    r.arrival = arrival;
    r.source = source;
    r.endpoint = endpoint;
    r.payload_bytes = payload.sample(payload_);
    r.overhead = Duration::from_seconds(d.overhead->sample(overhead_));
    r.demand_s = d.demand->sample(demand_);
    r.response_bytes = d.response->sample(response_);
    return r;
  }

 private:
  RandomStream payload_, overhead_, demand_, response_;
};

}  // namespace slsim
