#include "slsim/trace.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace slsim {

const char* trace_format_name(TraceFormat f) {
  switch (f) {
    case TraceFormat::kCsv:
      return "trace_csv";
    case TraceFormat::kAzureFunctions2019:
      return "azure_functions_2019";
    case TraceFormat::kAzureFunctions2021:
      return "azure_functions_2021";
    case TraceFormat::kAzureLlm2023:
      return "azure_llm_2023";
    case TraceFormat::kCloudWatch:
      return "cloudwatch";
  }
  return "?";
}

uint32_t TraceRoute::find(std::string_view key) const {
  const auto it = std::lower_bound(
      keys.begin(), keys.end(), key,
      [](const std::pair<std::string, uint32_t>& a, std::string_view k) { return a.first < k; });
  return it != keys.end() && it->first == key ? it->second : kNone;
}

size_t MinuteTrace::memory_bytes() const {
  size_t bytes = sizeof(*this) + series.capacity() * sizeof(MinuteSeries);
  for (const MinuteSeries& s : series)
    bytes += s.bins.capacity() * sizeof(s.bins[0]) + s.key.capacity() +
             (s.demand ? 14 * sizeof(double) : 0);
  return bytes;
}

std::string TraceProblem::text() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

}  // namespace slsim
