#include "slsim/calendar.hpp"

#include <fmt/format.h>

#include <chrono>

namespace slsim {
namespace {

namespace chr = std::chrono;

constexpr int64_t kNsPerSecond = 1'000'000'000;
constexpr int64_t kNsPerDay = 86'400 * kNsPerSecond;

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<UtcTime> parse_utc(std::string_view text, std::string& error) {
  const auto fail = [&](const std::string& what) -> std::optional<UtcTime> {
    error = fmt::format(
        "'{}' is not a UTC date-time{}: write ISO 8601 such as 2027-03-22T10:00:00Z (or a date, "
        "2027-03-22)",
        text, what.empty() ? "" : " (" + what + ")");
    return std::nullopt;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day))
    return fail("");
  int64_t fraction_ns = 0;
  size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return fail("");
    if (!digits(text, pos + 1, 2, hour) || text.size() < pos + 9 || text[pos + 3] != ':' ||
        !digits(text, pos + 4, 2, minute) || text[pos + 6] != ':' ||
        !digits(text, pos + 7, 2, second))
      return fail("");
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int64_t scale = kNsPerSecond / 10;
      const size_t first = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (scale == 0) return fail("more than 9 fractional digits");
        fraction_ns += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == first) return fail("");
    }
    const std::string_view zone = text.substr(pos);
    if (zone != "Z" && zone != "z" && zone != "+00:00")
      return fail(zone.empty() ? "no time zone: end it with Z for UTC"
                               : "only UTC is accepted here: end it with Z");
  }
  if (hour > 23 || minute > 59 || second > 59) return fail("no such time of day");
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return fail("no such date");
  if (year < 1970 || year > 2262) return fail("the year must be from 1970 to 2262");
  const int64_t days = chr::sys_days{ymd}.time_since_epoch().count();
  const int64_t ns =
      days * kNsPerDay + ((hour * 60 + minute) * 60 + second) * kNsPerSecond + fraction_ns;
  if (days > 106'751 || ns < 0) return fail("the year must be from 1970 to 2262");
  return UtcTime{ns};
}

std::string format_utc(UtcTime t) {
  const int64_t days = t.unix_ns >= 0 ? t.unix_ns / kNsPerDay : (t.unix_ns + 1) / kNsPerDay - 1;
  const int64_t in_day = t.unix_ns - days * kNsPerDay;
  const chr::year_month_day ymd{chr::sys_days{chr::days{days}}};
  const int64_t seconds = in_day / kNsPerSecond;
  const int64_t fraction = in_day % kNsPerSecond;
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()), seconds / 3600,
                                seconds / 60 % 60, seconds % 60);
  if (fraction != 0) {
    std::string digits_text = fmt::format("{:09d}", fraction);
    while (digits_text.back() == '0') digits_text.pop_back();
    out += "." + digits_text;
  }
  return out + "Z";
}

}  // namespace slsim
