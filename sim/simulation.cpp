#include "slsim/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "slsim/check.hpp"

namespace slsim {
namespace {

constexpr Duration kMinute = Duration::minutes(1);
constexpr uint64_t kPollMask = 4095;  // poll stop/progress every 4096 events

const char* kind_name(TrafficKind k) {
  switch (k) {
    case TrafficKind::kPoisson:
      return "poisson";
    case TrafficKind::kSchedule:
      return "schedule";
    case TrafficKind::kDiurnal:
      return "diurnal";
    case TrafficKind::kBursts:
      return "bursts";
    case TrafficKind::kFixedInterval:
      return "fixed_interval";
    case TrafficKind::kClosedLoop:
      return "closed_loop";
  }
  return "?";
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, uint64_t replication, Recorders recorders,
                       SimulationControl control)
    : scenario_(scenario),
      recorders_(recorders),
      control_(control),
      horizon_(Time::at(scenario.duration)),
      engine_(kMinute),
      stats_(scenario.endpoints.size()) {
  account_.limit = scenario.platform.account_concurrency_limit;
  const size_t n = scenario.endpoints.size();
  endpoints_.reserve(n);
  distributions_.reserve(n);
  size_t containers = 0;
  for (size_t e = 0; e < n; ++e) {
    const EndpointConfig& config = scenario.endpoints[e];
    endpoints_.emplace_back(scenario, static_cast<uint32_t>(e), replication, engine_, account_);
    distributions_.push_back(RequestDistributions{
        &scenario.platform.overhead, &config.model.inference, &config.model.response_size});
    containers += static_cast<size_t>(config.max_concurrency);
  }
  // Stream keys: a profile's name (the same on any endpoint: profiles with one name draw the
  // same numbers, so endpoints meant to see the same requests do), else the endpoint and the
  // profile's type and position among the endpoint's profiles of that type, so that adding a
  // profile of another type changes nothing else.
  for (size_t e = 0; e < n; ++e) {
    const EndpointConfig& config = scenario.endpoints[e];
    std::map<TrafficKind, int> seen;
    for (const TrafficConfig& t : config.traffic) {
      const std::string key = t.name.empty() ? fmt::format("traffic/{}/{}#{}", config.name,
                                                           kind_name(t.kind), seen[t.kind]++)
                                             : "traffic/named/" + t.name;
      sources_.emplace_back(TrafficGenerator(t, static_cast<uint32_t>(e), horizon_, scenario.seed,
                                             replication, key, distributions_[e]));
    }
  }
  // Traces after the synthetic profiles, in the scenario's order: one source per per-invocation
  // trace (its rows may go to any endpoint), one per series of a per-minute trace.
  trace_status_.resize(scenario.traces.size());
  for (size_t k = 0; k < scenario.traces.size(); ++k) {
    const TraceConfig& trace = scenario.traces[k];
    TraceContext context{horizon_,        scenario.seed,          replication,
                         &distributions_, scenario.skip_bad_rows, &trace_status_[k],
                         &stopped_};
    if (per_minute(trace.format)) {
      for (const MinuteSeries& series : trace.minutes->series)
        sources_.emplace_back(MinuteCountSource(trace, series, context));
    } else {
      sources_.emplace_back(RequestTraceSource(trace, context));
    }
  }
  for (size_t e = 0; e < n; ++e) {
    const EndpointConfig& config = scenario.endpoints[e];
    real_time_.push_back(config.kind == EndpointKind::kRealTime
                             ? std::make_unique<RealTimeModel>(scenario, static_cast<uint32_t>(e),
                                                               replication, engine_)
                             : nullptr);
    ScalableTarget target;
    if (real_time_[e])
      target.real_time = real_time_[e].get();
    else
      target.serverless = &endpoints_[e];
    autoscalers_.push_back(config.autoscaling ? std::make_unique<Autoscaler>(
                                                    *config.autoscaling, static_cast<uint16_t>(e),
                                                    scenario.start, target, engine_)
                                              : nullptr);
  }
  for (const ArrivalSource& source : sources_) wants_responses_.push_back(source.wants_responses());
  engine_.reserve(containers * 2 + sources_.size() + 16);
}

int Simulation::in_flight() const {
  int n = 0;
  for (size_t e = 0; e < endpoints_.size(); ++e)
    n += real_time_[e] ? real_time_[e]->in_flight() : endpoints_[e].in_flight();
  return n;
}

void Simulation::start() {
  SLSIM_CHECK(!started_, "start() called twice");
  started_ = true;
  for (size_t e = 0; e < endpoints_.size(); ++e)
    if (real_time_[e])
      real_time_[e]->start();
    else
      endpoints_[e].start();
  for (auto& a : autoscalers_)
    if (a) a->start();
  for (uint32_t s = 0; s < sources_.size(); ++s) sources_[s].start(engine_, s);
}

bool Simulation::step(Time until) {
  Event e;
  if (stopped_ || !engine_.next(until, e)) return false;
  dispatch(e);
  if ((events_ & kPollMask) == 0) {
    if (control_.simulated_ns)
      control_.simulated_ns->store(engine_.now().ns(), std::memory_order_relaxed);
    if (control_.stop && control_.stop->load(std::memory_order_relaxed)) stopped_ = true;
  }
  return true;
}

uint64_t Simulation::run_until(Time until) {
  if (!started_) start();
  uint64_t processed = 0;
  while (step(until)) ++processed;
  engine_.settle();
  if (!stopped_ && until != Time::max() && until > engine_.now()) engine_.advance_to(until);
  return processed;
}

ReplicationResult Simulation::run() {
  run_until(horizon_);
  const Time horizon = engine_.now();  // the duration, unless stopped early
  for (size_t e = 0; e < endpoints_.size(); ++e)
    if (real_time_[e])
      real_time_[e]->stop_billing(horizon);
    else
      endpoints_[e].stop_billing(horizon);
  // Drain: no arrival is at or after the horizon; let the requests in flight finish. The clock
  // still moves only through the engine.
  while (in_flight() > 0 && step(Time::max())) {
  }
  engine_.settle();
  const Time end = std::max(horizon, engine_.now());
  close_minutes(end, false);
  if (recorders_.metrics) recorders_.metrics->finish();

  ReplicationResult result;
  result.end = end;
  result.max_busy_total = account_.max_busy;
  result.events = events_;
  result.fingerprint = fingerprint_;
  for (const TraceRunStatus& status : trace_status_) {
    if (result.input_error.empty()) result.input_error = status.error;
    if (result.first_skipped.empty()) result.first_skipped = status.first_skipped;
    result.skipped_rows += status.skipped_rows;
  }
  result.interrupted = stopped_ && result.input_error.empty();
  for (size_t e = 0; e < endpoints_.size(); ++e)
    SLSIM_CHECK(stopped_ || stats_.stats(e).settled() == (real_time_[e] ? real_time_[e]->arrivals()
                                                                        : endpoints_[e].arrivals()),
                "conservation: an arrival was lost");
  result.endpoints = stats_.take();
  return result;
}

void Simulation::dispatch(const Event& e) {
  ++events_;
  // One FNV-style step per event over its time, kind, endpoint and target.
  const uint64_t tag =
      (static_cast<uint64_t>(e.kind) << 48) | (static_cast<uint64_t>(e.endpoint) << 32) | e.target;
  fingerprint_ = (fingerprint_ ^ (static_cast<uint64_t>(e.at.ns()) + tag * 0x9E3779B97F4A7C15ULL)) *
                 0x100000001B3ULL;
  EndpointModel& model = endpoints_[e.endpoint];
  switch (e.kind) {
    case EventKind::kArrival:
      on_arrival(e.target);
      break;
    case EventKind::kContainerReady:
      if (const RequestRecord* r = model.on_container_ready(e.target)) settled(*r);
      break;
    case EventKind::kRequestDone:
      if (const RequestRecord* r = model.on_request_done(e.target)) settled(*r);
      break;
    case EventKind::kIdleExpiry:
      model.on_idle_expiry(e.target);
      break;
    case EventKind::kWorkerDone:
      if (const RequestRecord* r = real_time_[e.endpoint]->on_worker_done(e.target)) settled(*r);
      break;
    case EventKind::kQueueTimeout:
      if (const RequestRecord* r = real_time_[e.endpoint]->on_queue_timeout()) settled(*r);
      break;
    case EventKind::kInstanceReady:
      real_time_[e.endpoint]->on_instance_ready();
      break;
    case EventKind::kMetricPublished:
      if (const ScalingRecord* r = autoscalers_[e.endpoint]->on_metric_published()) scaled(*r);
      break;
    case EventKind::kScheduledAction:
      if (const ScalingRecord* r = autoscalers_[e.endpoint]->on_scheduled_action(e.target))
        scaled(*r);
      break;
    case EventKind::kTick:
      on_tick();
      break;
  }
}

void Simulation::on_arrival(uint32_t source) {
  const Request request = sources_[source].arrive(engine_, source);
  const RequestRecord* r = real_time_[request.endpoint]
                               ? real_time_[request.endpoint]->on_arrival(request)
                               : endpoints_[request.endpoint].on_arrival(request);
  if (r) settled(*r);
}

void Simulation::settled(const RequestRecord& r) {
  stats_.request(r);
  if (recorders_.requests) recorders_.requests->request(r);
  if (recorders_.memory) recorders_.memory->request(r);
  if (recorders_.windows) recorders_.windows->request(r);
  if (wants_responses_[r.source]) sources_[r.source].on_response(r.response, engine_, r.source);
}

void Simulation::scaled(const ScalingRecord& r) {
  stats_.scaling(r);
  if (recorders_.scaling) recorders_.scaling->scaling(r);
  if (recorders_.memory) recorders_.memory->scaling(r);
}

void Simulation::on_tick() { close_minutes(engine_.now(), true); }

void Simulation::close_minutes(Time end, bool publish) {
  for (size_t e = 0; e < endpoints_.size(); ++e) {
    const MinuteRecord m =
        real_time_[e] ? real_time_[e]->close_minute(end) : endpoints_[e].close_minute(end);
    stats_.minute(m);
    if (recorders_.metrics) recorders_.metrics->minute(m);
    if (recorders_.memory) recorders_.memory->minute(m);
    if (publish && autoscalers_[e]) autoscalers_[e]->on_minute(m);
  }
}

}  // namespace slsim
