#include "slsim/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "slsim/check.hpp"
#include "slsim/csv_log.hpp"
#include "slsim/metrics_csv.hpp"

namespace slsim {
namespace {

constexpr Duration kMinute = Duration::minutes(1);
constexpr int64_t kMillisecond = 1000000;

bool served(Outcome o) {
  return o == Outcome::kWarm || o == Outcome::kCold || o == Outcome::kSpilloverWarm ||
         o == Outcome::kSpilloverCold;
}
bool cold(Outcome o) { return o == Outcome::kCold || o == Outcome::kSpilloverCold; }

}  // namespace

Simulation::Simulation(const Scenario& scenario, uint64_t replication, SimulationLogs logs)
    : scenario_(scenario),
      replication_(replication),
      logs_(logs),
      horizon_(Time::at(scenario.duration)) {
  const uint64_t seed = scenario.seed;
  endpoints_.resize(scenario.endpoints.size());
  size_t total_containers = 0;
  for (size_t i = 0; i < scenario.endpoints.size(); ++i) {
    const EndpointConfig& config = scenario.endpoints[i];
    EndpointState& ep = endpoints_[i];
    const std::string base = "endpoint/" + config.name;
    ep.config = &config;
    ep.cpu_slowdown = config.cpu_slowdown(scenario.platform);
    ep.idle_timeout = config.effective_idle_timeout(scenario.platform);
    ep.overhead_rng = RandomStream(seed, replication, base + "/overhead");
    ep.inference_rng = RandomStream(seed, replication, base + "/inference");
    ep.first_inference_rng = RandomStream(seed, replication, base + "/first_inference");
    ep.response_rng = RandomStream(seed, replication, base + "/response_size");
    ep.image_cache_rng = RandomStream(seed, replication, base + "/image_cache");
    for (size_t p = 0; p < kPhaseCount; ++p)
      ep.phase_rng[p] =
          RandomStream(seed, replication, base + "/phase/" + phase_name(static_cast<Phase>(p)));
    total_containers += static_cast<size_t>(config.max_concurrency);
    for (size_t t = 0; t < config.traffic.size(); ++t)
      sources_.emplace_back(config.traffic[t], static_cast<uint32_t>(i), horizon_, seed,
                            replication, fmt::format("{}/traffic/{}", base, t));
  }
  containers_.reserve(total_containers);
  queue_.reserve(total_containers * 2 + sources_.size() + 16);

  // Provisioned containers are initialised before the first request and never expire. They
  // have served their warm-up request: SageMaker keeps them "warm and ready" (seeds/001).
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    EndpointState& ep = endpoints_[i];
    const int provisioned = ep.config->provisioned_concurrency;
    for (int k = 0; k < provisioned; ++k) {
      const uint32_t c = new_container(static_cast<uint32_t>(i));
      containers_[c].provisioned = true;
      containers_[c].fresh = false;
      containers_[c].state = ContainerState::kIdle;
      push_idle(ep.idle_provisioned, c);
    }
    ep.gauges.idle = provisioned;
    account_in_use_ += provisioned;
  }
}

void Simulation::schedule(Time at, EventKind kind, uint32_t target) {
  SLSIM_CHECK(at >= now_, "an event was scheduled in the past");
  queue_.push(at, kind, target);
}

uint64_t Simulation::run_until(Time until) {
  uint64_t processed = 0;
  while (!queue_.empty() && queue_.top().at < until) {
    if ((processed & 4095) == 0 && stop_requested()) break;  // HARDENING (issue 8)
    const Event e = queue_.pop();
    SLSIM_CHECK(e.at >= now_, "the clock would move backwards");
    now_ = e.at;
    dispatch(e);
    ++processed;
  }
  return processed;
}

void Simulation::dispatch(const Event& e) {
  ++events_;
  fingerprint_ = (fingerprint_ ^ static_cast<uint64_t>(e.at.ns())) * 0x100000001B3ULL;
  fingerprint_ =
      (fingerprint_ ^ ((static_cast<uint64_t>(e.kind) << 32) | e.target)) * 0x100000001B3ULL;
  switch (e.kind) {
    case EventKind::kArrival:
      on_arrival(e.target);
      break;
    case EventKind::kContainerReady:
      on_container_ready(e.target);
      break;
    case EventKind::kRequestDone:
      on_request_done(e.target);
      break;
    case EventKind::kIdleExpiry:
      on_idle_expiry(e.target);
      break;
    case EventKind::kMinuteTick:
      on_minute_tick();
      break;
  }
}

void Simulation::start() {
  SLSIM_CHECK(!started_, "start() called twice");
  started_ = true;
  for (uint32_t s = 0; s < sources_.size(); ++s) {
    TrafficSource& source = sources_[s];
    const int starts = source.closed_loop() ? source.config().clients : 1;
    for (int k = 0; k < starts; ++k) {
      const Time first = source.first_arrival();
      if (first != Time::max()) schedule(first, EventKind::kArrival, s);
    }
  }
  schedule(Time::at(kMinute), EventKind::kMinuteTick, 0);
}

ReplicationResult Simulation::run() {
  if (!started_) start();
  run_until(horizon_);
  ReplicationResult stopped;  // HARDENING (issue 8)
  stopped.interrupted = true;
  if (stop_requested()) return stopped;
  // Drain: no arrival is at or after the horizon; let requests in flight finish.
  while (in_flight_total_ > 0) {
    if ((events_ & 4095) == 0 && stop_requested()) return stopped;  // HARDENING (issue 8)
    SLSIM_CHECK(!queue_.empty(), "requests in flight but no pending event");
    const Event e = queue_.pop();
    now_ = e.at;
    dispatch(e);
  }
  const Time end = std::max(horizon_, now_);
  close_gauges(end);
  emit_minute(end);

  ReplicationResult result;
  result.end = end;
  result.max_busy_total = max_busy_total_;
  result.events = events_;
  result.fingerprint = fingerprint_;
  for (EndpointState& ep : endpoints_) {
    ep.stats.usage.provisioned_container_seconds =
        ep.config->provisioned_concurrency * scenario_.duration.seconds_f();
    SLSIM_CHECK(ep.stats.completed() == ep.stats.arrivals, "conservation: an arrival was lost");
    result.endpoints.push_back(std::move(ep.stats));
  }
  return result;
}

// ---- Handlers -------------------------------------------------------------------------------

void Simulation::on_arrival(uint32_t source) {
  TrafficSource& src = sources_[source];
  if (!src.closed_loop()) {
    const Time next = src.next_arrival(now_);
    if (next != Time::max()) schedule(next, EventKind::kArrival, source);
  }
  route(source, now_, src.sample_payload());
}

void Simulation::route(uint32_t source, Time arrival, double payload) {
  const uint32_t endpoint = sources_[source].endpoint();
  EndpointState& ep = endpoints_[endpoint];
  const PlatformConfig& platform = scenario_.platform;
  MinuteRow& row = minute_row(ep);
  ++row.invocations;
  ++ep.stats.arrivals;

  InFlight r;
  r.arrival = arrival;
  r.overhead = Duration::from_seconds(platform.overhead.sample(ep.overhead_rng));
  r.payload = payload;
  r.source = source;

  if (payload > platform.max_payload_bytes) {
    finish(ep, r, Outcome::kRejectedPayload, now_ + r.overhead, nullptr);
    return;
  }
  uint32_t c = pop_idle(ep.idle_provisioned);
  if (c != kNone) {
    ++row.provisioned_invocations;
    ++ep.in_flight;
    ++in_flight_total_;
    change_gauges(ep, +1, +1, -1, 0);
    r.outcome = Outcome::kWarm;
    containers_[c].request = r;
    start_service(c);
    return;
  }
  const bool spill = ep.config->provisioned_concurrency > 0;
  const bool account_ok = account_in_use_ < platform.account_concurrency_limit;
  if (account_ok && (c = pop_idle(ep.idle_on_demand)) != kNone) {
    if (spill) ++row.spillover_invocations;
    ++ep.in_flight;
    ++ep.on_demand_in_flight;
    ++in_flight_total_;
    ++account_in_use_;
    change_gauges(ep, +1, 0, -1, 0);
    r.outcome = spill ? Outcome::kSpilloverWarm : Outcome::kWarm;
    containers_[c].request = r;
    start_service(c);
    return;
  }
  if (account_ok && ep.in_flight < ep.config->max_concurrency) {
    if (spill) ++row.spillover_invocations;
    r.outcome = spill ? Outcome::kSpilloverCold : Outcome::kCold;
    start_cold(endpoint, r);
    return;
  }
  ++row.throttles;
  finish(ep, r, Outcome::kThrottled, now_ + r.overhead, nullptr);
}

void Simulation::start_cold(uint32_t endpoint, const InFlight& request) {
  EndpointState& ep = endpoints_[endpoint];
  const PlatformConfig& platform = scenario_.platform;
  const ModelConfig& model = ep.config->model;
  const uint32_t c = new_container(endpoint);
  Container& k = containers_[c];
  k.state = ContainerState::kProvisioning;
  k.provisioning_since = now_;
  k.request = request;

  auto& rng = ep.phase_rng;
  std::array<double, kPhaseCount> s{};
  s[size_t(Phase::kScheduling)] = platform.scheduling.sample(rng[size_t(Phase::kScheduling)]);
  const bool cached = ep.image_cache_rng.uniform_open() < platform.image_cache_hit_probability;
  s[size_t(Phase::kImagePull)] =
      cached ? 0.0 : model.image_size_bytes / platform.image_pull_bandwidth;
  s[size_t(Phase::kArtifactDownload)] =
      platform.artifact_first_byte + model.artifact_size_bytes / platform.artifact_bandwidth;
  s[size_t(Phase::kExtraction)] =
      model.extraction.sample(rng[size_t(Phase::kExtraction)]) * ep.cpu_slowdown;
  s[size_t(Phase::kModelLoad)] =
      model.load.sample(rng[size_t(Phase::kModelLoad)]) * ep.cpu_slowdown;
  s[size_t(Phase::kContainerInit)] =
      platform.container_init.sample(rng[size_t(Phase::kContainerInit)]);

  Duration total;
  for (size_t p = 0; p < kPhaseCount; ++p) {
    k.phases[p] = Duration::from_seconds(s[p]);
    total += k.phases[p];
    ep.stats.phase_seconds[p] += s[p];
  }
  k.start_fails = total > platform.start_timeout;
  if (k.start_fails) total = platform.start_timeout;

  ++ep.in_flight;
  ++ep.on_demand_in_flight;
  ++in_flight_total_;
  ++account_in_use_;
  ++ep.stats.cold_starts;
  ++minute_row(ep).cold_starts;
  change_gauges(ep, 0, 0, 0, +1);
  schedule(now_ + total, EventKind::kContainerReady, c);
}

void Simulation::on_container_ready(uint32_t c) {
  Container& k = containers_[c];
  EndpointState& ep = endpoints_[k.endpoint];
  if (k.start_fails) {
    change_gauges(ep, 0, 0, 0, -1);
    --ep.in_flight;
    --ep.on_demand_in_flight;
    --in_flight_total_;
    --account_in_use_;
    const InFlight r = k.request;
    free_container(c);
    finish(ep, r, Outcome::kStartFailed, now_ + r.overhead, nullptr);
    return;
  }
  MinuteRow& row = minute_row(ep);
  ++row.model_setup_count;
  row.model_setup_sum += (now_ - k.provisioning_since).seconds_f();
  change_gauges(ep, +1, 0, 0, -1);
  start_service(c);
}

void Simulation::start_service(uint32_t c) {
  Container& k = containers_[c];
  EndpointState& ep = endpoints_[k.endpoint];
  const ModelConfig& model = ep.config->model;
  k.state = ContainerState::kBusy;
  double seconds = model.inference.sample(ep.inference_rng);
  if (k.fresh) seconds += model.first_inference_extra.sample(ep.first_inference_rng);
  k.fresh = false;
  Duration d = Duration::from_seconds(seconds * ep.cpu_slowdown);
  if (d > scenario_.platform.invocation_timeout) {
    d = scenario_.platform.invocation_timeout;
    k.request.outcome = Outcome::kTimedOut;
  }
  k.request.model = d;
  schedule(now_ + d, EventKind::kRequestDone, c);
}

void Simulation::on_request_done(uint32_t c) {
  Container& k = containers_[c];
  EndpointState& ep = endpoints_[k.endpoint];
  const InFlight& r = k.request;
  const Time response_at = now_ + r.overhead;

  // Billing: inference duration rounded up to the millisecond (seeds/002, seeds/003).
  const double billed =
      static_cast<double>((r.model.ns() + kMillisecond - 1) / kMillisecond) * 1e-3;
  MinuteRow& row = minute_row(ep);
  (k.provisioned ? ep.stats.usage.provisioned_billed_seconds
                 : ep.stats.usage.on_demand_billed_seconds) += billed;
  (k.provisioned ? row.billed_provisioned_seconds : row.billed_on_demand_seconds) += billed;
  const double data = r.payload + ep.config->model.response_size.sample(ep.response_rng);
  ep.stats.usage.data_bytes += data;
  row.data_bytes += data;
  ++row.model_latency_count;
  row.model_latency_sum += r.model.seconds_f();
  row.overhead_latency_sum += ((response_at - r.arrival) - r.model).seconds_f();

  --ep.in_flight;
  --in_flight_total_;
  k.state = ContainerState::kIdle;
  if (k.provisioned) {
    change_gauges(ep, -1, -1, +1, 0);
    push_idle(ep.idle_provisioned, c);
  } else {
    --ep.on_demand_in_flight;
    --account_in_use_;
    change_gauges(ep, -1, 0, +1, 0);
    push_idle(ep.idle_on_demand, c);
    // Re-armable idle timer: move the deadline; at most one expiry event is ever pending.
    k.idle_deadline = now_ + ep.idle_timeout;
    if (!k.timer_pending) {
      k.timer_pending = true;
      schedule(k.idle_deadline, EventKind::kIdleExpiry, c);
    }
  }
  finish(ep, r, r.outcome, response_at, &k);
}

void Simulation::on_idle_expiry(uint32_t c) {
  Container& k = containers_[c];
  k.timer_pending = false;
  if (k.state != ContainerState::kIdle) return;  // busy: re-armed when it goes idle again
  if (k.idle_deadline > now_) {                  // used since the timer was set: re-arm
    k.timer_pending = true;
    schedule(k.idle_deadline, EventKind::kIdleExpiry, c);
    return;
  }
  EndpointState& ep = endpoints_[k.endpoint];
  unlink_idle(ep.idle_on_demand, c);
  change_gauges(ep, 0, 0, -1, 0);
  free_container(c);
}

void Simulation::on_minute_tick() {
  close_gauges(now_);
  emit_minute(now_);
  ++minute_;
  if (now_ < horizon_ || in_flight_total_ > 0) schedule(now_ + kMinute, EventKind::kMinuteTick, 0);
}

// ---- Outcomes -------------------------------------------------------------------------------

void Simulation::finish(EndpointState& ep, const InFlight& r, Outcome outcome, Time response_at,
                        const Container* c) {
  ++ep.stats.outcomes[static_cast<size_t>(outcome)];
  const double latency = (response_at - r.arrival).seconds_f();
  if (served(outcome)) {
    ep.stats.latency.add(latency);
    (cold(outcome) ? ep.stats.latency_cold : ep.stats.latency_warm).add(latency);
  } else {
    MinuteRow& row = minute_row(ep);
    if (outcome == Outcome::kThrottled || outcome == Outcome::kRejectedPayload)
      ++row.errors_4xx;
    else
      ++row.errors_5xx;
  }
  if (logs_.requests) {
    std::string& out = logs_.requests->buffer();
    fmt::format_to(std::back_inserter(out), "{},{},{:.9f},{},{:.9f},{:.9f},{:.9f}", replication_,
                   ep.config->name, r.arrival.seconds_f(), outcome_name(outcome), latency,
                   r.model.seconds_f(), r.overhead.seconds_f());
    for (size_t p = 0; p < kPhaseCount; ++p) {
      const bool had_phases = c && cold(outcome);
      fmt::format_to(std::back_inserter(out), ",{:.9f}",
                     had_phases ? c->phases[p].seconds_f() : 0.0);
    }
    fmt::format_to(std::back_inserter(out), ",{:.0f}\n", r.payload);
    logs_.requests->maybe_flush();
  }
  client_response(r.source, response_at);
}

void Simulation::client_response(uint32_t source, Time response_at) {
  TrafficSource& src = sources_[source];
  if (!src.closed_loop()) return;
  const Time next = src.next_after_response(response_at);
  if (next != Time::max()) schedule(next, EventKind::kArrival, source);
}

// ---- Containers and gauges ------------------------------------------------------------------

uint32_t Simulation::new_container(uint32_t endpoint) {
  uint32_t c;
  if (!free_containers_.empty()) {
    c = free_containers_.back();
    free_containers_.pop_back();
  } else {
    c = static_cast<uint32_t>(containers_.size());
    containers_.emplace_back();
  }
  containers_[c] = Container{};
  containers_[c].endpoint = endpoint;
  return c;
}

void Simulation::free_container(uint32_t c) {
  containers_[c].state = ContainerState::kFree;
  free_containers_.push_back(c);
}

void Simulation::push_idle(IdleList& list, uint32_t c) {
  Container& k = containers_[c];
  k.prev = kNone;
  k.next = list.head;
  if (list.head != kNone) containers_[list.head].prev = c;
  list.head = c;
  if (list.tail == kNone) list.tail = c;
}

void Simulation::unlink_idle(IdleList& list, uint32_t c) {
  Container& k = containers_[c];
  if (k.prev != kNone)
    containers_[k.prev].next = k.next;
  else
    list.head = k.next;
  if (k.next != kNone)
    containers_[k.next].prev = k.prev;
  else
    list.tail = k.prev;
  k.prev = k.next = kNone;
}

uint32_t Simulation::pop_idle(IdleList& list) {
  const uint32_t c = list.head;
  if (c != kNone) unlink_idle(list, c);
  return c;
}

void Simulation::emit_minute(Time until) {
  const double seconds = (until - Time::at(kMinute * minute_)).seconds_f();
  for (size_t e = 0; e < endpoints_.size(); ++e) {
    EndpointState& ep = endpoints_[e];
    if (logs_.metrics && seconds > 0.0) {
      append_minute_row(logs_.metrics->buffer(), scenario_, e, replication_, minute_, ep.minute,
                        seconds);
      logs_.metrics->maybe_flush();
    }
    ep.minute = MinuteRow{};
    ep.minute.max_busy = ep.gauges.busy;
  }
}

void Simulation::change_gauges(EndpointState& ep, int busy, int busy_provisioned, int idle,
                               int provisioning) {
  const double dt = (now_ - ep.gauges_since).seconds_f();
  MinuteRow& row = minute_row(ep);
  Gauges& g = ep.gauges;
  if (dt > 0.0) {
    row.busy_seconds += g.busy * dt;
    row.busy_provisioned_seconds += g.busy_provisioned * dt;
    row.idle_seconds += g.idle * dt;
    row.provisioning_seconds += g.provisioning * dt;
    ep.stats.busy_seconds += g.busy * dt;
    ep.stats.idle_seconds += g.idle * dt;
    ep.stats.provisioning_seconds += g.provisioning * dt;
  }
  ep.gauges_since = now_;
  g.busy += busy;
  busy_total_ += busy;
  max_busy_total_ = std::max(max_busy_total_, busy_total_);
  ep.stats.max_busy = std::max(ep.stats.max_busy, g.busy);
  g.busy_provisioned += busy_provisioned;
  g.idle += idle;
  g.provisioning += provisioning;
  SLSIM_CHECK(g.busy >= 0 && g.idle >= 0 && g.provisioning >= 0, "negative container count");
  row.max_busy = std::max(row.max_busy, g.busy);
}

void Simulation::close_gauges(Time until) {
  const Time saved = now_;
  now_ = until;
  for (EndpointState& ep : endpoints_) change_gauges(ep, 0, 0, 0, 0);
  now_ = saved;
}

}  // namespace slsim
