#include "slsim/schedule_expression.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "slsim/limits.hpp"

namespace slsim {
namespace {

constexpr int64_t kNs = 1'000'000'000;
constexpr int kFirstYear = 1970, kLastYear = 2199;  // EventBridge's cron years

constexpr const char* kCronForm =
    "cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(15 12 * * ? *): six "
    "fields, one of Day-of-month and Day-of-week '?'";

const char* const kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char* const kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

unsigned weekday_1_to_7(date::year_month_day ymd) {  // 1 = Sunday, as cron
  return date::weekday(date::sys_days(ymd)).c_encoding() + 1;
}

}  // namespace

// Parses one cron expression's fields into a ScheduleExpression.
class CronParser {
 public:
  CronParser(ScheduleExpression& out, std::string_view body, size_t offset)
      : out_(out), body_(body), offset_(offset) {}

  bool parse(std::string& error, size_t& column) {
    std::vector<std::pair<std::string_view, size_t>> fields;  // text, offset in body
    size_t i = 0;
    while (i < body_.size()) {
      while (i < body_.size() && body_[i] == ' ') ++i;
      const size_t start = i;
      while (i < body_.size() && body_[i] != ' ') ++i;
      if (i > start) fields.emplace_back(body_.substr(start, i - start), start);
    }
    if (fields.size() != 6) {
      error = fmt::format("cron needs 6 fields, not {}: {}", fields.size(), kCronForm);
      column = offset_;
      return false;
    }
    const auto fail = [&](size_t field, const std::string& what) {
      error = fmt::format("{} in '{}'; write {}", what, fields[field].first, kCronForm);
      column = offset_ + fields[field].second;
      return false;
    };
    std::string why;
    if (!set_field(fields[0].first, 0, 59, nullptr, out_.minutes_, why)) return fail(0, why);
    if (!set_field(fields[1].first, 0, 23, nullptr, out_.hours_, why)) return fail(1, why);
    if (!set_field(fields[3].first, 1, 12, kMonthNames, out_.months_, why)) return fail(3, why);
    std::bitset<230> years;
    if (!set_field(fields[5].first, kFirstYear, kLastYear, nullptr, years, why))
      return fail(5, why);
    out_.years_ = years;
    const bool dom_q = fields[2].first == "?", dow_q = fields[4].first == "?";
    if (dom_q == dow_q)
      return fail(dom_q ? 2 : 4, dom_q ? "both Day-of-month and Day-of-week are '?'"
                                       : "one of Day-of-month and Day-of-week must be '?'");
    out_.dom_question_ = dom_q;
    if (!dom_q && !day_of_month(fields[2].first, why)) return fail(2, why);
    if (!dow_q && !day_of_week(fields[4].first, why)) return fail(4, why);
    return true;
  }

 private:
  static bool number(std::string_view s, int& v) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;  // no sign
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
  }

  // A value of a field: a number, or a name (JAN, MON) where the field has names.
  static bool value(std::string_view s, int low, int high, const char* const* names, int& v,
                    std::string& why) {
    if (names) {
      std::string upper(s);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const int count = high - low + 1;
      for (int k = 0; k < count; ++k)
        if (upper == names[k]) {
          v = low + k;
          return true;
        }
    }
    if (!number(s, v)) {
      why = fmt::format("'{}' is not a number{}", s, names ? " or a name" : "");
      return false;
    }
    if (v < low || v > high) {
      why = fmt::format("{} is outside {}-{}", v, low, high);
      return false;
    }
    return true;
  }

  // `*`, values, ranges, lists and steps into `bits` (bit = value - base).
  template <size_t N>
  static bool set_field(std::string_view field, int low, int high, const char* const* names,
                        std::bitset<N>& bits, std::string& why, int base = -1) {
    if (base < 0) base = low > 1 ? low : 0;
    bits.reset();
    size_t start = 0;
    for (;;) {
      const size_t comma = field.find(',', start);
      std::string_view item = field.substr(start, comma - start);
      int step = 1;
      const bool stepped = item.find('/') != std::string_view::npos;
      if (const size_t slash = item.find('/'); slash != std::string_view::npos) {
        if (!number(item.substr(slash + 1), step) || step < 1 || step > high) {
          why = fmt::format("the step '{}' must be a number from 1 to {}", item.substr(slash + 1),
                            high);
          return false;
        }
        item = item.substr(0, slash);
      }
      int first = low, last = high;
      if (item != "*") {
        const size_t dash = item.find('-', 1);
        if (!value(item.substr(0, dash), low, high, names, first, why)) return false;
        last = first;
        if (dash != std::string_view::npos) {
          if (!value(item.substr(dash + 1), low, high, names, last, why)) return false;
          if (last < first) {
            why = fmt::format("the range '{}' must go from low to high", item);
            return false;
          }
        } else if (stepped) {
          last = high;  // `a/n`: a, a+n, ... to the end of the field (`a/1`: every value from a)
        }
      }
      for (int v = first; v <= last; v += step) bits.set(static_cast<size_t>(v - base));
      if (comma == std::string_view::npos) return true;
      start = comma + 1;
    }
  }

  bool day_of_month(std::string_view f, std::string& why) {
    auto& rule = out_.dom_;
    if (f == "L") return rule.last = true;
    if (f == "LW") return rule.last_weekday = true;
    if (f.size() >= 2 && f.back() == 'W') {
      if (!value(f.substr(0, f.size() - 1), 1, 31, nullptr, rule.nearest_weekday_to, why))
        return false;
      return true;
    }
    if (f == "*") return rule.any = true;
    return set_field(f, 1, 31, nullptr, rule.days, why, 0);
  }

  bool day_of_week(std::string_view f, std::string& why) {
    auto& rule = out_.dow_;
    if (f == "L") {  // the last day of the week: Saturday
      rule.days.set(7);
      return true;
    }
    if (const size_t hash = f.find('#'); hash != std::string_view::npos) {
      if (!value(f.substr(0, hash), 1, 7, kDayNames, rule.nth_weekday, why)) return false;
      if (!number(f.substr(hash + 1), rule.nth) || rule.nth < 1 || rule.nth > 5) {
        why = "'#' takes the week of the month, 1 to 5 (3#2 = the second Tuesday)";
        return false;
      }
      return true;
    }
    if (f.size() >= 2 && f.back() == 'L')
      return value(f.substr(0, f.size() - 1), 1, 7, kDayNames, rule.last_of_weekday, why);
    if (f == "*") return rule.any = true;
    return set_field(f, 1, 7, kDayNames, rule.days, why, 0);
  }

  ScheduleExpression& out_;
  std::string_view body_;
  size_t offset_;
};

std::optional<ScheduleExpression> ScheduleExpression::parse(std::string_view text,
                                                            std::string_view time_zone,
                                                            UtcTime anchor, std::string& error,
                                                            size_t& column) {
  ScheduleExpression s;
  s.text_ = std::string(text);
  s.anchor_ = anchor;
  column = 0;
  if (!time_zone.empty()) {
    try {
      s.zone_ = date::locate_zone(time_zone);
    } catch (const std::exception&) {
      error = fmt::format(
          "unknown time zone '{}': write an IANA name such as America/New_York or Europe/Berlin",
          time_zone);
      return std::nullopt;
    }
  }
  const auto wrapped = [&](std::string_view head) {
    return text.substr(0, head.size()) == head && text.size() > head.size() && text.back() == ')';
  };
  if (wrapped("cron(")) {
    s.kind_ = Kind::kCron;
    CronParser parser(s, text.substr(5, text.size() - 6), 5);
    if (!parser.parse(error, column)) return std::nullopt;
    return s;
  }
  if (wrapped("rate(")) {
    s.kind_ = Kind::kRate;
    const std::string_view body = text.substr(5, text.size() - 6);
    const size_t space = body.find(' ');
    int n = 0;
    const std::string_view unit = space == std::string_view::npos ? "" : body.substr(space + 1);
    const auto [p, ec] =
        std::from_chars(body.data(), body.data() + std::min(space, body.size()), n);
    int64_t seconds = 0;
    if (unit == "minute" || unit == "minutes") seconds = 60;
    if (unit == "hour" || unit == "hours") seconds = 3600;
    if (unit == "day" || unit == "days") seconds = 86400;
    const bool plural = !unit.empty() && unit.back() == 's';
    if (ec != std::errc() || p != body.data() + space || n < 1 || seconds == 0 ||
        plural != (n > 1) || n > 1'000'000) {
      error =
          "write rate(N unit) with a whole N >= 1 and unit minute, hour or day, singular for "
          "1 and plural otherwise: rate(1 hour), rate(5 minutes)";
      column = 5;
      return std::nullopt;
    }
    if (static_cast<double>(n) * static_cast<double>(seconds) > kMaxDurationSeconds) {
      error = fmt::format("rate({}) is longer than slsim's limit of 10 years", body);
      column = 5;
      return std::nullopt;
    }
    s.period_ns_ = n * seconds * kNs;
    return s;
  }
  if (wrapped("at(")) {
    s.kind_ = Kind::kAt;
    const std::string body(text.substr(3, text.size() - 4));
    std::string problem;
    const auto utc = parse_utc(body + "Z", problem);
    if (body.size() != 19 || body[10] != 'T' || !utc) {
      error =
          "write at(yyyy-mm-ddThh:mm:ss), a local time in the action's time zone (UTC by "
          "default), e.g. at(2027-03-25T10:00:00)";
      column = 3;
      return std::nullopt;
    }
    s.at_ = UtcTime{s.to_utc_seconds(utc->unix_ns / kNs) * kNs};
    return s;
  }
  error =
      "a schedule is cron(...), rate(...) or at(...), e.g. cron(15 12 * * ? *), "
      "rate(1 hour), at(2027-03-25T10:00:00)";
  return std::nullopt;
}

int64_t ScheduleExpression::to_local_seconds(int64_t utc) const {
  if (!zone_) return utc;
  const date::sys_seconds t{std::chrono::seconds(utc)};
  return utc + zone_->get_info(t).offset.count();
}

int64_t ScheduleExpression::to_utc_seconds(int64_t local) const {
  if (!zone_) return local;
  const date::local_seconds t{std::chrono::seconds(local)};
  const date::local_info info = zone_->get_info(t);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the first of the two instants
      return local - info.first.offset.count();
    case date::local_info::nonexistent:  // skipped by the clocks: run when they jump
      return info.first.end.time_since_epoch().count();
  }
  return local;
}

bool ScheduleExpression::day_matches(int year, unsigned month, unsigned day) const {
  using namespace date;
  const year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  const unsigned last = static_cast<unsigned>(
      year_month_day_last{date::year{year}, month_day_last{date::month{month}}}.day());
  if (!dom_question_) {  // the day-of-month field rules
    const DayRule& r = dom_;
    if (r.any) return true;
    const auto weekday_near = [&](unsigned target) {
      const unsigned wd = weekday_1_to_7({date::year{year}, date::month{month}, date::day{target}});
      if (wd == 7) return target == 1 ? target + 2 : target - 1;     // Saturday
      if (wd == 1) return target == last ? target - 2 : target + 1;  // Sunday
      return target;
    };
    if (r.last) return day == last;
    if (r.last_weekday) return day == weekday_near(last);
    if (r.nearest_weekday_to)
      return static_cast<unsigned>(r.nearest_weekday_to) <= last &&
             day == weekday_near(static_cast<unsigned>(r.nearest_weekday_to));
    return r.days.test(day);
  }
  const DayRule& r = dow_;
  const unsigned wd = weekday_1_to_7(ymd);
  if (r.any) return true;
  if (r.nth_weekday)
    return wd == static_cast<unsigned>(r.nth_weekday) &&
           (day - 1) / 7 + 1 == static_cast<unsigned>(r.nth);
  if (r.last_of_weekday) return wd == static_cast<unsigned>(r.last_of_weekday) && day + 7 > last;
  return r.days.test(wd);
}

std::optional<UtcTime> ScheduleExpression::next_cron(UtcTime t) const {
  using namespace date;
  // Start at the first whole local minute at or after t, and walk forward: years and months
  // that cannot match are skipped whole.
  const int64_t t_seconds = (t.unix_ns + kNs - 1) / kNs;  // ceil, t >= 0
  int64_t local = to_local_seconds(t_seconds);
  local = (local + 59) / 60 * 60;
  sys_days day{days{local / 86400}};
  int64_t minute_of_day = local % 86400 / 60;
  for (;;) {
    const year_month_day ymd{day};
    const int year = int(ymd.year());
    if (year > kLastYear) return std::nullopt;
    if (year < kFirstYear || !years_.test(static_cast<size_t>(year - kFirstYear))) {
      day = sys_days{date::year{year + 1} / jan / 1};
      minute_of_day = 0;
      continue;
    }
    if (!months_.test(unsigned(ymd.month()))) {
      day = sys_days{year_month{ymd.year(), ymd.month()} / 1 + months{1}};
      minute_of_day = 0;
      continue;
    }
    if (day_matches(year, unsigned(ymd.month()), unsigned(ymd.day()))) {
      for (int64_t m = minute_of_day; m < 1440; ++m) {
        if (!hours_.test(static_cast<size_t>(m / 60)) ||
            !minutes_.test(static_cast<size_t>(m % 60)))
          continue;
        const int64_t at = to_utc_seconds(day.time_since_epoch().count() * 86400 + m * 60);
        if (at >= t_seconds) return UtcTime{at * kNs};
      }
    }
    day += days{1};
    minute_of_day = 0;
  }
}

std::optional<UtcTime> ScheduleExpression::first_at_or_after(UtcTime t) const {
  switch (kind_) {
    case Kind::kAt:
      if (at_ < t) return std::nullopt;
      return at_;
    case Kind::kRate: {
      // anchor + k·period, k >= 1.
      const int64_t since = t.unix_ns - anchor_.unix_ns;
      const int64_t k = since <= period_ns_ ? 1 : (since + period_ns_ - 1) / period_ns_;
      return UtcTime{anchor_.unix_ns + k * period_ns_};
    }
    case Kind::kCron:
      return next_cron(t);
  }
  return std::nullopt;
}

}  // namespace slsim
