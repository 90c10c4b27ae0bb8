#include "slsim/endpoint_model.hpp"

#include <algorithm>
#include <string>

namespace slsim {
namespace {

constexpr int64_t kMillisecondNs = 1'000'000;

}  // namespace

EndpointModel::EndpointModel(const Scenario& scenario, uint32_t index, uint64_t replication,
                             Engine& engine, AccountPool& account)
    : scenario_(scenario),
      config_(&scenario.endpoints[index]),
      platform_(scenario.platform),
      index_(static_cast<uint16_t>(index)),
      engine_(engine),
      account_(account),
      cpu_slowdown_(config_->cpu_slowdown(platform_)),
      idle_timeout_(config_->effective_idle_timeout(platform_)),
      capacity_{0, config_->max_concurrency},
      selection_(scenario.platform.idle_container_selection) {
  const uint64_t seed = scenario.seed;
  const std::string base = "endpoint/" + config_->name;
  cold_start_ = ColdStartSampler(scenario, *config_, replication);
  first_inference_rng_ = RandomStream(seed, replication, base + "/first_inference");
  provisioning_rng_ = RandomStream(seed, replication, base + "/provisioning");
  containers_.reserve(static_cast<size_t>(config_->max_concurrency) + 1);
  if (selection_ == IdleContainerSelection::kNewestCreated)
    idle_newest_.items.reserve(static_cast<size_t>(config_->max_concurrency) + 1);
  minute_.endpoint = index;
}

void EndpointModel::start() {
  const Time now = engine_.now();
  for (int k = 0; k < config_->provisioned_concurrency && account_.has_room(); ++k) {
    const uint32_t c = new_container();
    Container& box = containers_[c];
    box.provisioned = true;
    box.fresh = false;  // has served its warm-up request
    box.state = ContainerState::kIdle;
    containers_.push_idle(idle_provisioned_, c);
    held_.add(now, +1);
    billed_.add(now, +1);
    ++account_.in_use;
    ++capacity_.provisioned;
  }
  minute_.provisioned_capacity = capacity_.provisioned;
}

// ---- Routing --------------------------------------------------------------------------------

const RequestRecord* EndpointModel::on_arrival(const Request& r) {
  ++arrivals_;
  ++minute_.invocations;
  if (r.payload_bytes > platform_.max_payload_bytes) {
    ++minute_.errors_4xx;
    return &settle_now(r, Outcome::kRejectedPayload, false);
  }
  uint32_t c = containers_.pop_idle(idle_provisioned_);
  if (c != Container::kNone) {
    ++minute_.provisioned_invocations;
    admit_warm(c, r, Outcome::kWarm, false);
    return nullptr;
  }
  const bool spills = capacity_.provisioned > 0;
  const bool admitted = account_.has_room() && in_flight_ < capacity_.max_concurrency;
  if (admitted && (c = take_idle_on_demand()) != Container::kNone) {
    if (spills) ++minute_.spillover_invocations;
    ++account_.in_use;
    admit_warm(c, r, spills ? Outcome::kSpilloverWarm : Outcome::kWarm, spills);
    return nullptr;
  }
  if (admitted) {
    if (spills) ++minute_.spillover_invocations;
    start_cold(r, spills ? Outcome::kSpilloverCold : Outcome::kCold, spills);
    return nullptr;
  }
  ++minute_.throttles;
  ++minute_.errors_4xx;
  return &settle_now(r, Outcome::kThrottled, spills);
}

RequestRecord& EndpointModel::settle_now(const Request& r, Outcome outcome, bool found_busy) {
  record_ = record_of(r, index_, outcome);
  record_has_phases_ = false;
  record_.found_provisioned_busy = found_busy;
  return record_;
}

void EndpointModel::admit_warm(uint32_t c, const Request& r, Outcome outcome, bool found_busy) {
  Container& box = containers_[c];
  box.request = r;
  box.outcome = outcome;
  box.cold = false;
  box.found_provisioned_busy = found_busy;
  ++in_flight_;
  set_busy(+1, box.provisioned);
  serve(c);
}

void EndpointModel::start_cold(const Request& r, Outcome outcome, bool found_busy) {
  const uint32_t c = new_container();
  Container& box = containers_[c];
  box.state = ContainerState::kStarting;
  box.has_request = true;
  box.starting_since = engine_.now();
  box.request = r;
  box.outcome = outcome;
  box.cold = true;
  box.found_provisioned_busy = found_busy;
  const Duration total = cold_start_.sample(box.phases, platform_.start_timeout, box.start_fails);
  ++in_flight_;
  ++account_.in_use;
  ++minute_.cold_starts;
  starting_.add(engine_.now(), +1);
  engine_.schedule(engine_.now() + total, EventKind::kContainerReady, c, index_);
}

const RequestRecord* EndpointModel::on_container_ready(uint32_t c) {
  Container& box = containers_[c];
  const Time now = engine_.now();
  if (box.state == ContainerState::kCancelled) {  // provisioned capacity released while it started
    free_container(c);
    return nullptr;
  }
  starting_.add(now, -1);
  if (!box.has_request) {  // new provisioned capacity is ready
    box.state = ContainerState::kIdle;
    box.fresh = false;
    containers_.push_idle(idle_provisioned_, c);
    return nullptr;
  }
  if (box.start_fails) {
    --in_flight_;
    --account_.in_use;
    ++minute_.errors_5xx;
    const Request r = box.request;
    const bool found_busy = box.found_provisioned_busy;
    const PhaseDurations phases = box.phases;
    free_container(c);
    RequestRecord& rec = settle_now(r, Outcome::kStartFailed, found_busy);
    rec.response = now.plus_saturated(r.overhead);
    rec.cold = true;
    rec.phases = phases;
    rec.wait = now - r.arrival;
    record_has_phases_ = true;
    return &rec;
  }
  ++minute_.model_setups;
  minute_.model_setup_sum += now - box.starting_since;
  set_busy(+1, false);
  serve(c);
  return nullptr;
}

void EndpointModel::serve(uint32_t c) {
  Container& box = containers_[c];
  box.state = ContainerState::kBusy;
  double seconds = box.request.demand_s;
  if (box.fresh) seconds += config_->model.first_inference_extra.sample(first_inference_rng_);
  box.fresh = false;
  Duration d = Duration::from_seconds(seconds * cpu_slowdown_);
  if (d > platform_.invocation_timeout) {
    d = platform_.invocation_timeout;
    box.outcome = Outcome::kTimedOut;
  }
  box.model = d;
  engine_.schedule(engine_.now() + d, EventKind::kRequestDone, c, index_);
}

const RequestRecord* EndpointModel::on_request_done(uint32_t c) {
  Container& box = containers_[c];
  const Time now = engine_.now();
  const Request& r = box.request;
  RequestRecord& rec = record_;
  // Every field is assigned (no zeroing first: this is once per request).
  rec.arrival = r.arrival;
  rec.response = now.plus_saturated(r.overhead);
  rec.model = box.model;
  rec.overhead = r.overhead;
  rec.wait = Duration();  // the cold start it waited for, if any
  if (box.cold) {
    rec.phases = box.phases;
    for (const Duration p : box.phases) rec.wait += p;
  } else if (record_has_phases_) {
    rec.phases = PhaseDurations{};
  }
  record_has_phases_ = box.cold;
  rec.demand_s = r.demand_s;
  rec.payload_bytes = r.payload_bytes;
  rec.endpoint = index_;
  rec.source = r.source;
  rec.outcome = box.outcome;
  rec.cold = box.cold;
  rec.provisioned = box.provisioned;
  rec.found_provisioned_busy = box.found_provisioned_busy;
  // Billing: inference rounded up to the millisecond (seeds/002, seeds/003), also when it timed
  // out; a response only when it did not.
  rec.billed_ms = (box.model.ns() + kMillisecondNs - 1) / kMillisecondNs;
  if (box.outcome == Outcome::kTimedOut) {
    ++minute_.errors_5xx;
    rec.response_bytes = 0.0;
  } else {
    rec.response_bytes = r.response_bytes;
  }
  ++minute_.completions;
  minute_.model_latency_sum += box.model;
  minute_.overhead_latency_sum += rec.latency() - box.model;
  (box.provisioned ? minute_.billed_provisioned_ms : minute_.billed_on_demand_ms) += rec.billed_ms;
  minute_.data_bytes += rec.payload_bytes + rec.response_bytes;

  --in_flight_;
  set_busy(-1, box.provisioned);
  if (box.provisioned) {
    if (box.release) {
      --releasing_;
      free_held(c);
      free_container(c);
    } else {
      box.state = ContainerState::kIdle;
      containers_.push_idle(idle_provisioned_, c);
    }
    return &rec;
  }
  --account_.in_use;
  box.state = ContainerState::kIdle;
  park_idle_on_demand(c);
  // Re-armable idle timer: move the deadline; at most one expiry event is ever pending.
  box.idle_deadline = now.plus_saturated(idle_timeout_);
  if (!box.timer_pending) {
    box.timer_pending = true;
    engine_.schedule(box.idle_deadline, EventKind::kIdleExpiry, c, index_);
  }
  return &rec;
}

void EndpointModel::on_idle_expiry(uint32_t c) {
  Container& box = containers_[c];
  box.timer_pending = false;
  if (box.state != ContainerState::kIdle) return;  // busy: re-armed when it goes idle again
  const Time now = engine_.now();
  if (box.idle_deadline > now) {  // used since the timer was set: re-arm
    box.timer_pending = true;
    engine_.schedule(box.idle_deadline, EventKind::kIdleExpiry, c, index_);
    return;
  }
  unpark_idle_on_demand(c);
  free_container(c);
}

uint32_t EndpointModel::take_idle_by_rule() {
  switch (selection_) {
    case IdleContainerSelection::kMostRecentlyUsed:
      return containers_.pop_idle(idle_on_demand_);
    case IdleContainerSelection::kLeastRecentlyUsed:
      return containers_.pop_idle_oldest(idle_on_demand_);
    case IdleContainerSelection::kNewestCreated:
      return containers_.pop_idle(idle_newest_);
  }
  return Container::kNone;
}

void EndpointModel::park_newest(uint32_t c) { containers_.push_idle(idle_newest_, c); }

void EndpointModel::unpark_idle_on_demand(uint32_t c) {
  if (selection_ == IdleContainerSelection::kNewestCreated)
    containers_.remove_idle(idle_newest_, c);
  else
    containers_.unlink_idle(idle_on_demand_, c);
}

// ---- Capacity -------------------------------------------------------------------------------

int EndpointModel::set_provisioned(int target) {
  SLSIM_CHECK(target >= 0 && target <= capacity_.max_concurrency,
              "provisioned concurrency outside [0, max_concurrency]");
  if (target < capacity_.provisioned) {
    release_provisioned(capacity_.provisioned - target);
    capacity_.provisioned = target;
    return target;
  }
  // Keep containers that were being released (busy ones finishing their request) first.
  for (uint32_t c = 0; c < containers_.size() && capacity_.provisioned < target; ++c) {
    Container& box = containers_[c];
    if (box.provisioned && box.release && box.state == ContainerState::kBusy) {
      box.release = false;
      --releasing_;
      ++capacity_.provisioned;
    }
  }
  while (capacity_.provisioned < target && account_.has_room()) {
    add_provisioned_container();
    ++capacity_.provisioned;
  }
  return capacity_.provisioned;
}

void EndpointModel::set_max_concurrency(int limit) {
  SLSIM_CHECK(limit >= capacity_.provisioned, "max concurrency below provisioned concurrency");
  capacity_.max_concurrency = limit;
}

void EndpointModel::add_provisioned_container() {
  const Time now = engine_.now();
  const uint32_t c = new_container();
  Container& box = containers_[c];
  box.state = ContainerState::kStarting;
  box.provisioned = true;
  box.starting_since = now;
  Duration delay;
  if (platform_.provisioning_delay) {
    delay = Duration::from_seconds(platform_.provisioning_delay->sample(provisioning_rng_));
  } else {
    bool cut = false;
    delay = cold_start_.sample(box.phases, Duration::max(), cut);
  }
  starting_.add(now, +1);
  held_.add(now, +1);
  if (billing_) billed_.add(now, +1);
  ++account_.in_use;
  engine_.schedule(now.plus_saturated(delay), EventKind::kContainerReady, c, index_);
}

void EndpointModel::release_provisioned(int count) {
  const Time now = engine_.now();
  // Starting containers first (they serve nobody yet), then idle ones, then busy ones.
  for (uint32_t c = 0; c < containers_.size() && count > 0; ++c) {
    Container& box = containers_[c];
    if (box.provisioned && box.state == ContainerState::kStarting) {
      starting_.add(now, -1);
      alive_.add(now, -1);
      free_held(c);
      box.state = ContainerState::kCancelled;  // freed when its ready event fires
      --count;
    }
  }
  while (count > 0) {
    const uint32_t c = idle_provisioned_.tail;  // the least recently used
    if (c == Container::kNone) break;
    containers_.unlink_idle(idle_provisioned_, c);
    free_held(c);
    free_container(c);
    --count;
  }
  for (uint32_t c = 0; c < containers_.size() && count > 0; ++c) {
    Container& box = containers_[c];
    if (box.provisioned && box.state == ContainerState::kBusy && !box.release) {
      box.release = true;
      ++releasing_;
      --count;
    }
  }
  SLSIM_CHECK(count == 0, "released more provisioned containers than were held");
}

void EndpointModel::free_held(uint32_t c) {
  const Time now = engine_.now();
  containers_[c].provisioned = false;
  containers_[c].release = false;
  held_.add(now, -1);
  if (billing_) billed_.add(now, -1);
  --account_.in_use;
}

// ---- Minutes and gauges ---------------------------------------------------------------------

void EndpointModel::set_busy(int delta, bool provisioned) {
  const Time now = engine_.now();
  busy_.add(now, delta);
  account_.add_busy(delta);
  minute_.max_busy = std::max(minute_.max_busy, busy_.value());
  if (provisioned) {
    busy_provisioned_.add(now, delta);
    minute_.max_busy_provisioned =
        std::max(minute_.max_busy_provisioned, busy_provisioned_.value());
  }
}

MinuteRecord EndpointModel::close_minute(Time end) {
  MinuteRecord m = minute_;
  m.end = end;
  m.busy_ns = busy_.take(end);
  m.busy_provisioned_ns = busy_provisioned_.take(end);
  m.provisioning_ns = starting_.take(end);
  // Idle = every live container that is neither busy nor starting (one gauge less per request).
  m.idle_ns = alive_.take(end) - m.busy_ns - m.provisioning_ns;
  m.provisioned_ns = held_.take(end);
  m.billed_provisioned_ns = billed_.take(end);
  m.provisioned_capacity = capacity_.provisioned;

  minute_ = MinuteRecord{};
  minute_.endpoint = index_;
  minute_.index = m.index + 1;
  minute_.start = end;
  minute_.max_busy = busy_.value();
  minute_.max_busy_provisioned = busy_provisioned_.value();
  minute_.provisioned_capacity = capacity_.provisioned;
  return m;
}

void EndpointModel::stop_billing(Time at) {
  if (!billing_) return;
  billed_.add(at, -billed_.value());
  billing_ = false;
}

// ---- Containers ------------------------------------------------------------------------------

uint32_t EndpointModel::new_container() {
  alive_.add(engine_.now(), +1);
  return containers_.create();
}

void EndpointModel::free_container(uint32_t c) {
  if (containers_[c].state != ContainerState::kCancelled) alive_.add(engine_.now(), -1);
  containers_.destroy(c);
}

}  // namespace slsim
