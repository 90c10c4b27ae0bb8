// The account-wide pool that every serverless endpoint of a scenario shares (DESIGN.md §1).
#pragma once

#include <algorithm>

namespace slsim {

// SageMaker's account concurrency limit counts concurrent invocations: requests being served
// or waiting for their cold start on demand, plus provisioned concurrency held (DESIGN.md §1).
// An on-demand request is admitted only while the pool has room, even when a warm idle
// on-demand container is there to serve it: reusing a container is still a new concurrent
// invocation.
struct AccountPool {
  int limit = 1000;
  int in_use = 0;  // provisioned containers held + on-demand requests in flight
  int busy = 0;    // containers serving a request, all endpoints
  int max_busy = 0;

  bool has_room() const { return in_use < limit; }
  void add_busy(int delta) {
    busy += delta;
    max_busy = std::max(max_busy, busy);
  }
};

}  // namespace slsim
