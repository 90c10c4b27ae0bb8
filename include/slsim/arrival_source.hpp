// The seam through which requests enter a simulation. An arrival source schedules its own
// arrivals (EventKind::kArrival, target = its index), hands over each request when its arrival
// event fires, and may feed any endpoint (a trace can feed several). A closed loop also hears
// when a response reached its client, through on_response() (called by the simulation for every
// settled request of that source), never from inside the endpoint model.
//
// A source is any type with:
//   void start(Engine&, uint32_t self);               // schedule the first arrival(s)
//   Request arrive(Engine&, uint32_t self);           // the request arriving now; next arrival
//   void on_response(Time at, Engine&, uint32_t self);  // if wants_responses()
//   bool wants_responses() const;
// ArrivalSource holds one of them in a std::variant and dispatches by std::visit (a jump on the
// alternative's index: no virtual call, no allocation per arrival): the synthetic
// TrafficGenerator and the trace replays (trace_source.hpp).
#pragma once

#include <utility>
#include <variant>

#include "slsim/trace_source.hpp"
#include "slsim/traffic.hpp"

namespace slsim {

template <class S>
concept ArrivalGenerator = requires(S s, Engine& engine, uint32_t self, Time at) {
  s.start(engine, self);
  { s.arrive(engine, self) } -> std::same_as<Request>;
  s.on_response(at, engine, self);
  { s.wants_responses() } -> std::same_as<bool>;
};

class ArrivalSource {
 public:
  template <ArrivalGenerator S>
  explicit ArrivalSource(S source) : source_(std::move(source)) {}

  void start(Engine& engine, uint32_t self) {
    std::visit([&](auto& s) { s.start(engine, self); }, source_);
  }
  Request arrive(Engine& engine, uint32_t self) {
    // The synthetic generator first, without the visit's jump table: it is most scenarios'
    // only source, and this runs once per request.
    if (auto* generator = std::get_if<TrafficGenerator>(&source_)) [[likely]]
      return generator->arrive(engine, self);
    return std::visit([&](auto& s) { return s.arrive(engine, self); }, source_);
  }
  void on_response(Time at, Engine& engine, uint32_t self) {
    std::visit([&](auto& s) { s.on_response(at, engine, self); }, source_);
  }
  // Whether on_response() does anything (a closed loop); fixed for the source's life.
  bool wants_responses() const {
    return std::visit([](const auto& s) { return s.wants_responses(); }, source_);
  }

 private:
  std::variant<TrafficGenerator, RequestTraceSource, MinuteCountSource> source_;
};

}  // namespace slsim
