// The trace readers: the input is a trace file, read as every format reads it (a generic CSV
// with each timestamp unit and an endpoint column, Azure Functions 2021, Azure LLM 2023 — all
// streamed to the end and replayed — and the per-minute readers: Azure Functions 2019 and
// CloudWatch JSON).
#include <cmath>

#include "fuzz_support.hpp"
#include "slsim/minute_trace.hpp"
#include "slsim/request_trace.hpp"

namespace {

void stream(slsim::TraceConfig& c) {
  slsim::RequestTraceStream s;
  slsim::TraceProblem problem;
  if (!s.open(c, INT64_C(1) << 62, true, problem)) return;
  slsim::TraceRow row;
  int64_t last = INT64_MIN;
  for (;;) {
    const auto status = s.next(row, problem);
    if (status == slsim::RequestTraceStream::Status::kEnd ||
        status == slsim::RequestTraceStream::Status::kFailed)
      break;
    if (status != slsim::RequestTraceStream::Status::kRow) continue;
    // Rows come out in time order, at or after the scenario's start, routed somewhere, with
    // finite non-negative figures.
    if (row.at < last || row.at < 0 || row.endpoint == slsim::TraceRoute::kNone) __builtin_trap();
    if (!std::isnan(row.demand_s) && !(row.demand_s >= 0.0 && std::isfinite(row.demand_s)))
      __builtin_trap();
    last = row.at;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = slsim::fuzz::write_input(data, size, "trace.csv");
  using slsim::TimestampUnit;
  for (const TimestampUnit unit :
       {TimestampUnit::kSeconds, TimestampUnit::kUnixMilliseconds, TimestampUnit::kIso8601}) {
    slsim::TraceConfig c;
    c.file = path;
    c.columns.unit = unit;
    c.columns.endpoint = "model";
    c.columns.payload = "bytes";
    c.columns.demand = "demand";
    c.route.keys = {{"a", 0}, {"b", 1}};
    c.route.skip_unmapped = true;
    c.timing.calendar = slsim::calendar_unit(unit);
    c.timing.origin_first_row = true;
    c.reorder_ns = 10'000'000'000;
    stream(c);
  }
  slsim::TraceConfig azure;
  azure.file = path;
  azure.format = slsim::TraceFormat::kAzureFunctions2021;
  azure.columns.timestamp = "end_timestamp";
  azure.columns.duration = "duration";
  azure.columns.ignore = {"app", "func"};
  azure.demand_from_duration = true;
  azure.reorder_ns = 600'000'000'000;
  azure.route.all = 0;
  stream(azure);
  slsim::TraceConfig llm;
  llm.file = path;
  llm.format = slsim::TraceFormat::kAzureLlm2023;
  llm.columns.timestamp = "TIMESTAMP";
  llm.columns.unit = TimestampUnit::kIso8601;
  llm.columns.context_tokens = "ContextTokens";
  llm.columns.generated_tokens = "GeneratedTokens";
  llm.tokens = slsim::TokenDemand{0.05, 1e-4, 0.02};
  llm.timing.calendar = true;
  llm.timing.origin_first_row = true;
  llm.route.all = 0;
  stream(llm);
  slsim::MinuteTrace minutes;
  for (const auto kind :
       {slsim::FunctionSelection::Kind::kAll, slsim::FunctionSelection::Kind::kTop,
        slsim::FunctionSelection::Kind::kSample}) {
    slsim::FunctionSelection selection;
    selection.kind = kind;
    selection.count = 2;
    if (slsim::load_azure_functions_2019(path, path, selection, minutes).empty())
      for (const auto& s : minutes.series)
        for (const auto& [bin, count] : s.bins)
          if (count == 0 || bin >= minutes.bins) __builtin_trap();
  }
  const std::string json = slsim::fuzz::write_input(data, size, "export.json");
  if (slsim::load_cloudwatch(json, 0, minutes).empty())
    for (const auto& s : minutes.series)
      for (const auto& [bin, count] : s.bins)
        if (count == 0 || bin >= minutes.bins || minutes.bin_ns <= 0) __builtin_trap();
  return 0;
}
