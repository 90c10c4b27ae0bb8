#include "slsim/real_time_model.hpp"

#include <algorithm>
#include <string>

#include "slsim/check.hpp"

namespace slsim {
namespace {

constexpr int64_t kMillisecondNs = 1'000'000;

}  // namespace

RealTimeModel::RealTimeModel(const Scenario& scenario, uint32_t index, uint64_t replication,
                             Engine& engine)
    : scenario_(scenario),
      config_(scenario.endpoints[index]),
      index_(static_cast<uint16_t>(index)),
      engine_(engine),
      cpu_slowdown_(config_.cpu_slowdown(scenario.platform)),
      timeout_(scenario.platform.invocation_timeout),
      workers_per_instance_(config_.real_time.workers()) {
  const std::string base = "endpoint/" + config_.name;
  first_inference_rng_ = RandomStream(scenario.seed, replication, base + "/first_inference");
  launch_rng_ = RandomStream(scenario.seed, replication, base + "/launch");
  minute_.endpoint = index;
}

void RealTimeModel::start() {
  const Time now = engine_.now();
  instances_ = config_.real_time.instance_count;
  idle_workers_ = instances_ * workers_per_instance_;
  workers_.add(now, idle_workers_);
  instances_held_.add(now, instances_);
  billed_.add(now, instances_);
  minute_.provisioned_capacity = instances_;
}

// ---- Requests -------------------------------------------------------------------------------

const RequestRecord* RealTimeModel::on_arrival(const Request& r) {
  ++arrivals_;
  ++minute_.invocations;
  if (r.payload_bytes > scenario_.platform.max_payload_bytes) {
    ++minute_.errors_4xx;
    return &settle(r, Outcome::kRejectedPayload, r.arrival.plus_saturated(r.overhead));
  }
  ++in_flight_;
  if (idle_workers_ > 0)
    serve(r, Duration());
  else
    enqueue(r);
  return nullptr;
}

void RealTimeModel::serve(const Request& r, Duration wait) {
  --idle_workers_;
  const Time now = engine_.now();
  busy_.add(now, +1);
  minute_.max_busy = std::max(minute_.max_busy, busy_.value());
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.request = r;
  s.wait = wait;
  s.outcome = Outcome::kWarm;
  // Instances keep their model loaded: no cold start, no first-inference extra.
  Duration d = Duration::from_seconds(r.demand_s * cpu_slowdown_);
  if (d > timeout_) {
    d = timeout_;
    s.outcome = Outcome::kTimedOut;
  }
  s.model = d;
  engine_.schedule(now + d, EventKind::kWorkerDone, slot, index_);
}

const RequestRecord* RealTimeModel::on_worker_done(uint32_t slot) {
  const Slot& s = slots_[slot];
  const Time now = engine_.now();
  RequestRecord& rec = settle(s.request, s.outcome, now.plus_saturated(s.request.overhead));
  rec.model = s.model;
  rec.wait = s.wait;
  rec.billed_ms = (s.model.ns() + kMillisecondNs - 1) / kMillisecondNs;
  if (s.outcome == Outcome::kTimedOut)
    ++minute_.errors_5xx;
  else
    rec.response_bytes = s.request.response_bytes;
  ++minute_.completions;
  minute_.model_latency_sum += s.model;
  minute_.overhead_latency_sum += rec.latency() - s.model;
  minute_.data_bytes += rec.payload_bytes + rec.response_bytes;
  --in_flight_;
  busy_.add(now, -1);
  free_slots_.push_back(slot);
  if (retiring_workers_ > 0) {  // a worker of a removed instance: it stops here
    --retiring_workers_;
    workers_.add(now, -1);
    if (retiring_workers_ % workers_per_instance_ == 0) {
      instances_held_.add(now, -1);
      if (billing_) billed_.add(now, -1);
    }
    return &rec;
  }
  ++idle_workers_;
  if (queue_size_ > 0) {
    const Request next = queue_front();
    pop_queue();
    serve(next, now - next.arrival);
  }
  return &rec;
}

void RealTimeModel::enqueue(const Request& r) {
  if (queue_size_ == queue_.size()) {  // grow the ring, keeping FIFO order
    std::vector<Request> bigger(std::max<size_t>(16, queue_.size() * 2));
    for (size_t i = 0; i < queue_size_; ++i) bigger[i] = queue_[(queue_head_ + i) % queue_.size()];
    queue_ = std::move(bigger);
    queue_head_ = 0;
  }
  queue_[(queue_head_ + queue_size_) % queue_.size()] = r;
  ++queue_size_;
  queued_.add(engine_.now(), +1);
  if (!timeout_pending_) arm_timeout();
}

void RealTimeModel::pop_queue() {
  queue_head_ = (queue_head_ + 1) % queue_.size();
  --queue_size_;
  queued_.add(engine_.now(), -1);
}

// One timer for the whole queue, at the oldest request's deadline; re-armed when it fires.
void RealTimeModel::arm_timeout() {
  timeout_pending_ = true;
  engine_.schedule(queue_front().arrival.plus_saturated(timeout_), EventKind::kQueueTimeout, 0,
                   index_);
}

const RequestRecord* RealTimeModel::on_queue_timeout() {
  timeout_pending_ = false;
  const Time now = engine_.now();
  if (queue_size_ == 0) return nullptr;
  if (queue_front().arrival.plus_saturated(timeout_) > now) {  // served meanwhile: re-arm
    arm_timeout();
    return nullptr;
  }
  const Request r = queue_front();
  pop_queue();
  if (queue_size_ > 0) arm_timeout();
  --in_flight_;
  ++minute_.errors_5xx;
  RequestRecord& rec = settle(r, Outcome::kTimedOut, now.plus_saturated(r.overhead));
  rec.wait = now - r.arrival;
  return &rec;
}

RequestRecord& RealTimeModel::settle(const Request& r, Outcome outcome, Time response) {
  record_ = record_of(r, index_, outcome);
  record_.response = response;
  return record_;
}

// ---- Capacity -------------------------------------------------------------------------------

int RealTimeModel::set_capacity(int target) {
  SLSIM_CHECK(target >= 1, "a real-time endpoint needs at least one instance");
  const Time now = engine_.now();
  while (instances_ < target) {
    ++instances_;
    ++starting_;
    instances_held_.add(now, +1);
    if (billing_) billed_.add(now, +1);
    const Duration delay =
        Duration::from_seconds(config_.real_time.launch_delay.sample(launch_rng_));
    engine_.schedule(now.plus_saturated(delay), EventKind::kInstanceReady, 0, index_);
  }
  while (instances_ > target) {
    --instances_;
    if (starting_ > 0) {  // not serving yet: it is simply not launched
      --starting_;
      ++cancelled_launches_;
      instances_held_.add(now, -1);
      if (billing_) billed_.add(now, -1);
      continue;
    }
    // Its idle workers stop now, its busy ones when their requests end.
    const int idle = std::min(idle_workers_, workers_per_instance_);
    idle_workers_ -= idle;
    workers_.add(now, -idle);
    retiring_workers_ += workers_per_instance_ - idle;
    if (idle == workers_per_instance_) {
      instances_held_.add(now, -1);
      if (billing_) billed_.add(now, -1);
    }
  }
  return instances_;
}

void RealTimeModel::on_instance_ready() {
  if (cancelled_launches_ > 0) {  // an instance removed before it served
    --cancelled_launches_;
    return;
  }
  --starting_;
  const Time now = engine_.now();
  idle_workers_ += workers_per_instance_;
  workers_.add(now, workers_per_instance_);
  // The new workers take waiting requests at once.
  while (idle_workers_ > 0 && queue_size_ > 0) {
    const Request next = queue_front();
    pop_queue();
    serve(next, now - next.arrival);
  }
}

// ---- Minutes --------------------------------------------------------------------------------

MinuteRecord RealTimeModel::close_minute(Time end) {
  MinuteRecord m = minute_;
  m.end = end;
  m.busy_ns = busy_.take(end);
  // Idle workers: every worker that is not busy.
  m.idle_ns = workers_.take(end) - m.busy_ns;
  m.queue_ns = queued_.take(end);
  m.provisioned_ns = instances_held_.take(end);  // instances held (capacity units)
  m.billed_instance_ns = billed_.take(end);
  m.provisioned_capacity = instances_;
  minute_ = MinuteRecord{};
  minute_.endpoint = index_;
  minute_.index = m.index + 1;
  minute_.start = end;
  minute_.max_busy = busy_.value();
  minute_.provisioned_capacity = instances_;
  return m;
}

void RealTimeModel::stop_billing(Time at) {
  if (!billing_) return;
  billed_.add(at, -billed_.value());
  billing_ = false;
}

}  // namespace slsim
