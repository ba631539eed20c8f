#include "domain/demo_survey.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>

#include "base/crypto.hpp"
#include "base/error.hpp"
#include "base/resources.hpp"
#include "base/time.hpp"
#include "domain/accounts.hpp"
#include "domain/demo.hpp"
#include "domain/forms.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::demo_survey {

namespace {

// Must match data/demo/household_survey/settings.csv (name, version): receive() refuses
// submissions of an unknown version, so a mismatch fails the demo test at once.
constexpr const char* kRoot = "household_survey";
constexpr const char* kVersion = "2025030101";
constexpr int kDusunCount = 4;
// Choice names of the `area` field: the village's Kemendagri code plus the dusun's number.
constexpr const char* kDusunCode[kDusunCount] = {"53.02.03.2003.01", "53.02.03.2003.02", "53.02.03.2003.03",
                                                 "53.02.03.2003.04"};
// Dusun IV Nenas is the comparison: the program had not reached it by the endline.
constexpr bool kTreated[kDusunCount] = {true, true, true, false};
// Households per dusun, as shares of the sample (Bosen is the largest).
constexpr double kDusunShare[kDusunCount] = {0.33, 0.27, 0.22, 0.18};
constexpr double kDusunWealth[kDusunCount] = {0.25, 0.0, -0.2, -0.3};
constexpr double kDusunCentre[kDusunCount][3] = {  // lat, lon, altitude (m)
    {-9.585, 124.270, 1180},
    {-9.560, 124.300, 1120},
    {-9.610, 124.240, 1420},
    {-9.630, 124.215, 1510}};
constexpr double kWaterMinutes[kDusunCount] = {20, 30, 40, 50};  // median round trip at baseline
constexpr double kDiarrhoeaEffect[kDusunCount] = {-0.1, 0.0, 0.15, 0.1};

// The 12 main drinking-water sources of the JMP ladder, in the order of the choices sheet.
enum Source {
  piped_dwelling,
  piped_yard,
  public_tap,
  borehole,
  protected_well,
  unprotected_well,
  protected_spring,
  unprotected_spring,
  rainwater,
  tanker,
  bottled,
  surface
};
constexpr const char* kSource[] = {
    "piped_dwelling",   "piped_yard",         "public_tap", "borehole", "protected_well", "unprotected_well",
    "protected_spring", "unprotected_spring", "rainwater",  "tanker",   "bottled",        "surface"};
constexpr std::array<double, 12> kSourceWeights[kDusunCount] = {{{2, 8, 22, 3, 8, 8, 18, 14, 6, 4, 3, 4}},
                                                                {{1, 5, 15, 2, 6, 10, 20, 22, 6, 3, 1, 9}},
                                                                {{0, 3, 10, 0, 3, 8, 22, 32, 5, 2, 0, 15}},
                                                                {{0, 2, 8, 0, 3, 10, 20, 33, 5, 2, 0, 17}}};

enum Latrine {
  flush_sewer,
  flush_septic,
  flush_pit,
  flush_elsewhere,
  vip,
  pit_slab,
  composting,
  pit_no_slab,
  hanging,
  bucket,
  no_latrine
};
constexpr const char* kLatrine[] = {"flush_sewer", "flush_septic", "flush_pit",  "flush_elsewhere",
                                    "vip",         "pit_slab",     "composting", "pit_no_slab",
                                    "hanging",     "bucket",       "none"};
constexpr std::array<double, 11> kLatrineWeights[kDusunCount] = {{{0, 6, 18, 2, 1, 24, 0, 28, 1, 0, 20}},
                                                                 {{0, 3, 12, 2, 1, 22, 0, 33, 1, 0, 26}},
                                                                 {{0, 1, 8, 1, 1, 18, 1, 36, 2, 0, 32}},
                                                                 {{0, 1, 7, 1, 0, 18, 0, 37, 2, 0, 34}}};

enum Station { fixed, mobile, no_station, not_observed };
constexpr const char* kStation[] = {"fixed", "mobile", "none", "not_observed"};

constexpr const char* kFemaleNames[] = {"Maria",     "Yuliana", "Dorkas",   "Agustina",  "Yohana",
                                        "Margarita", "Ester",   "Selfina",  "Oktaviana", "Yublina",
                                        "Ruth",      "Naomi",   "Debora",   "Kristina",  "Florida",
                                        "Serlin",    "Meri",    "Dominika", "Adelina",   "Sarlota"};
constexpr const char* kMaleNames[] = {"Yohanes",   "Marthen",    "Ferdinand", "Oktovianus", "Yakobus",
                                      "Petrus",    "Paulus",     "Simon",     "Daniel",     "Markus",
                                      "Yosef",     "Agus",       "Frans",     "Nikolaus",   "Benyamin",
                                      "Melkianus", "Aleksander", "Efraim",    "Matias",     "Yeremias"};
// Enumerators by dusun (choice names); the field officer visits some households everywhere.
constexpr const char* kEnumerators[kDusunCount][2] = {{"marthen_tanesib", "dorkas_nomleni"},
                                                      {"ferdinand_selan", nullptr},
                                                      {"yuliana_boimau", nullptr},
                                                      {"oktovianus_nope", nullptr}};
constexpr const char* kFieldOfficer = "yohanes_nenobais";

constexpr const char* kNotes[] = {
    "Kepala keluarga sedang merantau ke Kupang; wawancara dengan istri.",
    "Rumah sulit dijangkau saat hujan.",
    "Sumur warga kering sejak bulan lalu.",
    "Responden meminta informasi tentang pemasangan keran ke rumah.",
    "Ada anggota keluarga yang sedang sakit.",
    "Keran umum terdekat sering macet pada siang hari.",
};

// Uniform draws from the raw std::mt19937 output, so the figures do not depend on the standard
// library's distribution classes (which differ between implementations).
class Random {
 public:
  explicit Random(std::uint32_t seed) : g_(seed) {}
  double uniform() {  // [0, 1) with 53 bits
    std::uint64_t a = g_() >> 5, b = g_() >> 6;
    return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) / 9007199254740992.0;
  }
  bool chance(double p) { return uniform() < p; }
  int between(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }  // inclusive
  double normal() {                                                                         // Box–Muller
    double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  template <std::size_t N>
  int pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(N - 1);
  }
  template <class T, std::size_t N>
  const T& one_of(const T (&items)[N]) {
    return items[static_cast<std::size_t>(between(0, static_cast<int>(N) - 1))];
  }

 private:
  std::mt19937 g_;
};

struct Member {
  std::string name;
  bool female = false;
  int age = 0;
  std::array<int, 6> wg{};  // Washington Group: 0 none, 1 some, 2 a lot, 3 cannot
};

struct Home {
  int dusun = 0, number = 0;  // hh_id "dusun-number"
  double lat = 0, lon = 0, alt = 0, wealth = 0;
  std::vector<Member> members;  // [0] is the head
  int source = 0, latrine = 0, station = 0;
  double minutes = 0;  // to collect water (round trip) when not on the premises
  bool shared = false;
  const char* enumerator = nullptr;
  std::string device;
};

bool female_head(const Home& h) { return h.members.front().female; }

std::array<int, 6> draw_wg(Random& r, int age) {
  // Difficulties grow with age; most people have none.
  double scale = age >= 60 ? 3.0 : age >= 40 ? 1.5 : 1.0;
  std::array<int, 6> out{};
  for (int& d : out) {
    double x = r.uniform();
    d = x < 0.004 * scale ? 3 : x < 0.018 * scale ? 2 : x < 0.09 * scale ? 1 : 0;
  }
  return out;
}

Member person(Random& r, bool female, int age) {
  return {female ? r.one_of(kFemaleNames) : r.one_of(kMaleNames), female, age, draw_wg(r, age)};
}

int clamp_age(int a) { return std::clamp(a, 0, 95); }

Home make_home(Random& r, int dusun, int number) {
  Home h;
  h.dusun = dusun;
  h.number = number;
  const auto& c = kDusunCentre[dusun];
  h.lat = c[0] + r.normal() * 0.006;
  h.lon = c[1] + r.normal() * 0.006;
  h.alt = c[2] + r.normal() * 40;
  h.wealth = kDusunWealth[dusun] + r.normal();
  // Household: the head, usually a spouse, children spaced two to three years, sometimes a parent.
  bool head_female = r.chance(0.18);
  int head_age = clamp_age(static_cast<int>(std::lround(45 + r.normal() * 12)));
  head_age = std::max(head_age, 22);
  h.members.push_back(person(r, head_female, head_age));
  bool spouse = !head_female && r.chance(0.85);
  int mother_age = head_female ? head_age : head_age - r.between(0, 8);
  if (spouse) h.members.push_back(person(r, true, std::max(18, mother_age)));
  int children = std::min(7, static_cast<int>(std::lround(std::max(0.0, 2.6 + r.normal() * 1.5))));
  int age = std::max(0, std::min(mother_age - 18, r.between(0, 6)));
  std::vector<Member> kids;
  for (int i = 0; i < children && age <= mother_age - 16 && age < 30; ++i) {
    kids.push_back(person(r, r.chance(0.49), age));
    age += r.between(2, 3);
  }
  std::reverse(kids.begin(), kids.end());  // eldest first, as people list them
  for (auto& k : kids) h.members.push_back(std::move(k));
  if (r.chance(0.12))
    h.members.push_back(person(r, r.chance(0.6), std::min(95, head_age + r.between(20, 30))));

  h.source = r.pick(kSourceWeights[dusun]);
  h.minutes = kWaterMinutes[dusun] * std::exp(r.normal() * 0.5);
  h.latrine = r.pick(kLatrineWeights[dusun]);
  h.shared = h.latrine != no_latrine && r.chance(0.2);
  h.station = r.pick(std::array<double, 4>{10 + 4 * h.wealth, 34, 53, 3});
  const char* second = kEnumerators[dusun][1];
  h.enumerator = second && r.chance(0.5) ? second : kEnumerators[dusun][0];
  if (r.chance(0.1)) h.enumerator = kFieldOfficer;
  return h;
}

// 18 months later: everybody is older, some babies were born, some young adults left to work
// elsewhere, and in the program's dusun many households now have a tap, a better latrine and a
// handwashing station.
void evolve(Random& r, Home& h) {
  for (auto& m : h.members) m.age = std::min(95, m.age + (r.chance(0.5) ? 2 : 1));
  bool has_mother = false;
  for (const auto& m : h.members) has_mother = has_mother || (m.female && m.age >= 18 && m.age <= 42);
  if (has_mother && r.chance(0.1)) h.members.push_back(person(r, r.chance(0.49), r.between(0, 1)));
  for (std::size_t i = 1; i < h.members.size(); ++i) {
    if (h.members[i].age >= 18 && h.members[i].age <= 25 && r.chance(0.2)) {
      h.members.erase(h.members.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  bool treated = kTreated[h.dusun];
  bool far = h.minutes > 30;
  bool improvable =
      h.source == unprotected_well || h.source == unprotected_spring || h.source == surface ||
      ((h.source == protected_spring || h.source == public_tap || h.source == protected_well) && far);
  if (treated) {
    if (improvable && r.chance(0.65)) {
      h.source = r.chance(0.3) ? piped_yard : public_tap;
      h.minutes = 10 * std::exp(r.normal() * 0.45);
    } else if (h.source == public_tap && r.chance(0.15)) {
      h.source = piped_yard;
    }
    if (h.latrine == no_latrine && r.chance(0.55))
      h.latrine = r.chance(0.6) ? pit_slab : pit_no_slab;
    else if (h.latrine == pit_no_slab && r.chance(0.35))
      h.latrine = pit_slab;
    if (h.station == no_station && r.chance(0.6)) h.station = r.chance(0.6) ? fixed : mobile;
  } else {
    if (improvable && r.chance(0.06)) {
      h.source = protected_spring;
      h.minutes *= 0.8;
    }
    if (h.latrine == no_latrine && r.chance(0.08)) h.latrine = pit_no_slab;
    if (h.station == no_station && r.chance(0.06)) h.station = mobile;
  }
  h.shared = h.latrine != no_latrine && (h.shared || r.chance(0.05)) && !r.chance(0.1);
}

// Working days (no Sundays or public holidays) between two dates, as days since 1970-01-01.
std::vector<std::int64_t> working_days(std::int64_t first, std::int64_t last,
                                       const std::vector<std::int64_t>& holidays) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = first; d <= last; ++d) {
    bool sunday = (d + 4) % 7 == 0;  // 1970-01-01 was a Thursday
    if (!sunday && std::find(holidays.begin(), holidays.end(), d) == holidays.end()) out.push_back(d);
  }
  return out;
}

constexpr std::int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;
constexpr std::int64_t kWita = 8 * kHour;  // Nusa Tenggara Timur is UTC+8

// "2025-03-03T09:15:23.000+08:00" for a UTC instant.
std::string local_time(std::int64_t utc_ms) {
  std::string s = format_iso8601(utc_ms + kWita);
  s.pop_back();  // "Z"
  return s + "+08:00";
}

void add(std::string& xml, std::string_view name, std::string_view value) {
  xml += '<';
  xml += name;
  if (value.empty()) {
    xml += "/>";
    return;
  }
  xml += '>';
  for (char ch : value) {
    switch (ch) {
      case '<':
        xml += "&lt;";
        break;
      case '>':
        xml += "&gt;";
        break;
      case '&':
        xml += "&amp;";
        break;
      default:
        xml += ch;
    }
  }
  xml += "</";
  xml += name;
  xml += '>';
}
void add(std::string& xml, std::string_view name, int value) { add(xml, name, std::to_string(value)); }

// The meta block ODK Collect writes last, and the root's end tag.
void close_submission(std::string& xml, std::string_view instance_id, std::string_view instance_name) {
  xml += "<meta>";
  add(xml, "instanceID", instance_id);
  add(xml, "instanceName", instance_name);
  xml += "</meta></";
  xml += kRoot;
  xml += '>';
}
void open_group(std::string& xml, std::string_view name) {
  xml += '<';
  xml += name;
  xml += '>';
}
void close_group(std::string& xml, std::string_view name) {
  xml += "</";
  xml += name;
  xml += '>';
}

std::string join(const std::vector<const char*>& items) {
  std::string out;
  for (const char* i : items) out += (out.empty() ? "" : " ") + std::string(i);
  return out;
}

std::string fixed_decimals(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// A deterministic "uuid:..." (version 4 layout) from a name, so each household's submission of a
// round keeps its instanceID across loads: that is what makes a second load store nothing.
std::string instance_id(std::uint32_t seed, bool endline, int dusun, int number) {
  std::string h =
      crypto::sha256_hex("gotong-demo/" + std::to_string(seed) + (endline ? "/endline/" : "/baseline/") +
                         std::to_string(dusun + 1) + "-" + std::to_string(number));
  h[12] = '4';
  h[16] = "89ab"[h[16] % 4];
  return "uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

enum class RuleBreak {
  none,
  head_age_typo,
  member_age_typo,
  water_time_typo,
  too_many_sick,
  swapped_gps,
  short_id,
  nothing_and_boil
};

// One visit: draws the round's answers and writes the submission as ODK Collect would.
Generated visit(Random& r, const Home& h, bool endline, std::int64_t day, std::uint32_t seed) {
  Generated g;
  g.endline = endline;
  g.dusun = h.dusun + 1;
  g.instance_id = instance_id(seed, endline, h.dusun, h.number);
  bool treated_now = endline && kTreated[h.dusun];

  std::int64_t start = day * kDay - kWita + 8 * kHour + static_cast<std::int64_t>(r.uniform() * 8 * kHour);
  std::int64_t end = start +
                     (20 + 5 * static_cast<std::int64_t>(h.members.size()) + r.between(0, 15)) * kMinute +
                     r.between(0, 59) * 1000;
  std::int64_t evening = day * kDay - kWita + 19 * kHour;
  g.submitted_at = r.chance(0.8)
                       ? std::max(end, evening) + static_cast<std::int64_t>(r.uniform() * 150 * kMinute)
                       : day * kDay + kDay - kWita + 7 * kHour + r.between(0, 120) * kMinute;
  g.consent = !r.chance(0.015);

  // A few submissions break one rule of the form, as typed by a tired enumerator; a rule that
  // cannot apply to this household (no child under five, water on the premises) becomes a typo
  // in the head's age.
  RuleBreak rule = RuleBreak::none;
  if (g.consent && r.chance(0.009)) rule = static_cast<RuleBreak>(r.between(1, 7));
  std::vector<int> age(h.members.size());
  for (std::size_t i = 0; i < age.size(); ++i) age[i] = h.members[i].age;
  int head_age = age[0];
  if (rule == RuleBreak::member_age_typo) age.back() = age.back() < 11 ? age.back() + 120 : age.back() * 10;
  int under5 = static_cast<int>(std::count_if(age.begin(), age.end(), [](int a) { return a < 5; }));
  bool on_premises = h.source == piped_dwelling || h.source == piped_yard || h.source == rainwater;
  if ((rule == RuleBreak::too_many_sick && under5 == 0) ||
      (rule == RuleBreak::water_time_typo && on_premises))
    rule = RuleBreak::head_age_typo;
  if (rule == RuleBreak::head_age_typo) head_age /= 10;

  std::string date = format_iso8601(day * kDay).substr(0, 10);
  char number[8];
  std::snprintf(number, sizeof number, "%04d", h.number);
  std::string hh_id = std::to_string(h.dusun + 1) + "-" + (rule == RuleBreak::short_id ? number + 1 : number);
  double lat = h.lat + r.normal() * 0.00005, lon = h.lon + r.normal() * 0.00005;
  std::string gps = rule == RuleBreak::swapped_gps ? fixed_decimals(lon, 6) + " " + fixed_decimals(lat, 6)
                                                   : fixed_decimals(lat, 6) + " " + fixed_decimals(lon, 6);
  gps += " " + fixed_decimals(h.alt + r.normal() * 5, 1) + " " + fixed_decimals(3 + r.uniform() * 9, 1);

  std::string& x = g.xml;
  x.reserve(4096);
  x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  x += "<";
  x += kRoot;
  x += " xmlns:jr=\"http://openrosa.org/javarosa\" xmlns:orx=\"http://openrosa.org/xforms\" id=\"";
  x += kFormId;
  x += "\" version=\"";
  x += kVersion;
  x += "\">";
  add(x, "start", local_time(start));
  add(x, "end", local_time(end));
  add(x, "today", date);
  add(x, "deviceid", h.device);
  add(x, "intro", "");
  add(x, "round", endline ? "endline" : "baseline");
  add(x, "visit_date", date);
  add(x, "area", kDusunCode[h.dusun]);
  add(x, "enumerator", h.enumerator);
  add(x, "hh_id", hh_id);
  add(x, "gps", gps);
  add(x, "consent", g.consent ? "yes" : "no");
  add(x, "no_consent", "");

  std::string instance_name = hh_id + " " + (endline ? "endline" : "baseline");
  if (!g.consent) {
    // Not relevant: ODK sends the groups empty and no repeat entries.
    x += "<household><head_sex/><head_age/><hh_size/><n_under5/><n_disability/></household>"
         "<water><water_source/><water_time/><water_ladder/><water_enough/><water_treat/><water_covered/></"
         "water>"
         "<sanitation><latrine/><latrine_shared/><sanitation_ladder/></sanitation>"
         "<hygiene><hw_station/><hw_water/><hw_soap/><hygiene_ladder/><hw_moments/><hw_photo/></hygiene>"
         "<health><health_note/><diarrhoea/><diarrhoea_children/><diarrhoea_ors/></health>"
         "<livelihood><income_band/><water_spend/><group_member/><groups/></livelihood><satisfaction/>";
    add(x, "comments", "");
    close_submission(x, g.instance_id, instance_name);
    return g;
  }

  static const char* const kWg[] = {"none", "some", "a_lot", "cannot"};
  static const char* const kWgField[] = {"m_see",      "m_hear",     "m_walk",
                                         "m_remember", "m_selfcare", "m_communicate"};
  open_group(x, "household");
  add(x, "head_sex", female_head(h) ? "female" : "male");
  add(x, "head_age", head_age);
  add(x, "hh_size", static_cast<int>(h.members.size()));
  int disabled = 0;
  for (std::size_t i = 0; i < h.members.size(); ++i) {
    const Member& m = h.members[i];
    open_group(x, "member");
    add(x, "m_name", m.name);
    add(x, "m_sex", m.female ? "female" : "male");
    add(x, "m_age", age[i]);
    add(x, "m_under5", age[i] < 5 ? 1 : 0);
    bool any = false;
    for (std::size_t d = 0; d < 6; ++d) {
      add(x, kWgField[d], age[i] >= 5 ? kWg[m.wg[d]] : "");
      any = any || (age[i] >= 5 && m.wg[d] >= 2);
    }
    add(x, "m_disability", any ? 1 : 0);
    disabled += any;
    bool school_age = age[i] >= 6 && age[i] <= 18;
    double p_school = age[i] <= 15 ? 0.93 : 0.68;
    bool in_school = r.chance(p_school + (m.wg[3] >= 2 || m.wg[2] >= 2 ? -0.4 : 0.0));
    add(x, "m_school", school_age ? (in_school ? "yes" : "no") : "");
    close_group(x, "member");
  }
  add(x, "n_under5", under5);
  add(x, "n_disability", disabled);
  close_group(x, "household");

  // Water.
  int minutes = std::clamp(static_cast<int>(std::lround(h.minutes * std::exp(r.normal() * 0.15))), 2, 240);
  if (minutes > 10) minutes = (minutes + 2) / 5 * 5;  // people answer in round figures
  if (rule == RuleBreak::water_time_typo) minutes = 900;
  const char* ladder = h.source == surface                                              ? "surface_water"
                       : h.source == unprotected_well || h.source == unprotected_spring ? "unimproved"
                       : !on_premises && minutes > 30                                   ? "limited"
                                                                                        : "basic";
  bool basic_water = std::string_view(ladder) == "basic";
  double short_p = (endline ? 0.5 : 0.42) - (basic_water ? 0.15 : 0.0) - (treated_now ? 0.1 : 0.0);
  std::vector<const char*> treat;
  if (r.chance(0.5 + 0.08 * h.wealth + (treated_now ? 0.17 : 0.0))) treat.push_back("boil");
  if (r.chance(treated_now ? 0.07 : 0.03)) treat.push_back("chlorine");
  if (r.chance(treated_now ? 0.1 : 0.02)) treat.push_back("filter");
  if (r.chance(0.02)) treat.push_back("solar");
  if (r.chance(0.1)) treat.push_back("cloth");
  if (r.chance(0.07)) treat.push_back("settle");
  if (treat.empty()) treat.push_back("none");
  if (rule == RuleBreak::nothing_and_boil) treat = {"none", "boil"};
  open_group(x, "water");
  add(x, "water_source", kSource[h.source]);
  add(x, "water_time", on_premises ? std::string() : std::to_string(minutes));
  add(x, "water_ladder", ladder);
  double enough_draw = r.uniform();
  add(x, "water_enough", enough_draw < 0.03 ? "dont_know" : enough_draw < 0.03 + short_p ? "yes" : "no");
  add(x, "water_treat", join(treat));
  add(x, "water_covered", r.chance(treated_now ? 0.82 : 0.6) ? "yes" : "no");
  close_group(x, "water");

  // Sanitation.
  bool improved_san = h.latrine != no_latrine && h.latrine != flush_elsewhere && h.latrine != pit_no_slab &&
                      h.latrine != hanging && h.latrine != bucket;
  open_group(x, "sanitation");
  add(x, "latrine", kLatrine[h.latrine]);
  add(x, "latrine_shared", h.latrine == no_latrine ? "" : h.shared ? "yes" : "no");
  add(x, "sanitation_ladder",
      h.latrine == no_latrine ? "open_defecation"
      : !improved_san         ? "unimproved"
      : h.shared              ? "limited"
                              : "basic");
  close_group(x, "sanitation");

  // Handwashing.
  bool station = h.station == fixed || h.station == mobile;
  bool water_there = station && r.chance(treated_now ? 0.88 : 0.78);
  bool soap_there = station && r.chance((treated_now ? 0.72 : endline ? 0.46 : 0.42) + 0.06 * h.wealth);
  bool hw_basic = water_there && soap_there;
  std::vector<const char*> moments;
  double lift = treated_now ? 0.2 : 0.0;
  if (r.chance(0.4 + lift)) moments.push_back("after_toilet");
  if (under5 > 0 && r.chance(0.2 + lift)) moments.push_back("after_child");
  if (r.chance(0.25 + lift)) moments.push_back("before_cooking");
  if (r.chance(0.7 + lift / 2)) moments.push_back("before_eating");
  if (under5 > 0 && r.chance(0.15 + lift)) moments.push_back("before_feeding");
  if (moments.empty()) moments.push_back("none");
  open_group(x, "hygiene");
  add(x, "hw_station", kStation[h.station]);
  add(x, "hw_water", station ? (water_there ? "yes" : "no") : "");
  add(x, "hw_soap", station ? (soap_there ? "yes" : "no") : "");
  add(x, "hygiene_ladder",
      hw_basic                  ? "basic"
      : station                 ? "limited"
      : h.station == no_station ? "no_facility"
                                : "not_observed");
  add(x, "hw_moments", join(moments));
  add(x, "hw_photo", "");
  close_group(x, "hygiene");

  // Children's health: the chance of diarrhoea falls with basic water, handwashing with soap and
  // an improved latrine, which is the effect the evaluation should find.
  double logit = -1.05 - 0.55 * basic_water - 0.65 * hw_basic - 0.35 * improved_san - 0.15 * h.wealth +
                 kDiarrhoeaEffect[h.dusun] + (endline ? 0.1 : 0.0);
  bool sick = r.chance(1.0 / (1.0 + std::exp(-logit)));
  bool dont_know = r.chance(0.02);
  int sick_children = sick ? (under5 > 1 && r.chance(0.2) ? 2 : 1) : 0;
  bool ors = r.chance(treated_now ? 0.7 : 0.55);
  if (rule == RuleBreak::too_many_sick) {
    sick = true;
    dont_know = false;
    sick_children = under5 + 1;
  }
  open_group(x, "health");
  add(x, "health_note", "");
  if (under5 > 0) {
    const char* answer = dont_know ? "dont_know" : sick ? "yes" : "no";
    add(x, "diarrhoea", answer);
    add(x, "diarrhoea_children", sick && !dont_know ? std::to_string(sick_children) : std::string());
    add(x, "diarrhoea_ors", sick && !dont_know ? (ors ? "yes" : "no") : "");
  } else {
    x += "<diarrhoea/><diarrhoea_children/><diarrhoea_ors/>";
  }
  close_group(x, "health");

  // Livelihood.
  static const char* const kIncome[] = {"under_500k", "from_500k", "from_1m", "from_2m", "over_3m"};
  double income = 900'000 * std::exp(0.55 * h.wealth + 0.25 * r.normal()) * (endline ? 1.07 : 1.0);
  int band = income < 500'000     ? 0
             : income < 1'000'000 ? 1
             : income < 2'000'000 ? 2
             : income < 3'000'000 ? 3
                                  : 4;
  bool refused = r.chance(0.03);
  int spend = 0;
  if (h.source == tanker || h.source == bottled)
    spend = r.between(10, 50) * 5000;
  else if (treated_now && (h.source == public_tap || h.source == piped_yard) && r.chance(0.85))
    spend = r.between(2, 5) * 5000;  // the water committee's monthly fee
  else if (r.chance(0.1))
    spend = r.between(1, 6) * 5000;
  bool member = r.chance(0.4 + 0.05 * h.wealth + (treated_now ? 0.15 : 0.0));
  std::vector<const char*> groups;
  if (member) {
    if (r.chance(treated_now ? 0.45 : 0.05)) groups.push_back("water_committee");
    if (r.chance(female_head(h) ? 0.5 : 0.3)) groups.push_back("pkk");
    if (r.chance(0.1)) groups.push_back("posyandu");
    if (r.chance(0.35)) groups.push_back("farmers");
    if (r.chance(0.25)) groups.push_back("savings");
    if (r.chance(0.4)) groups.push_back("church");
    if (groups.empty()) groups.push_back(r.chance(0.5) ? "church" : "other");
  }
  open_group(x, "livelihood");
  add(x, "income_band", refused ? "refused" : kIncome[band]);
  add(x, "water_spend", spend);
  add(x, "group_member", member ? "yes" : "no");
  add(x, "groups", member ? join(groups) : std::string());
  close_group(x, "livelihood");

  double mood = std::string_view(ladder) == "basic"        ? 3.9
                : std::string_view(ladder) == "limited"    ? 3.0
                : std::string_view(ladder) == "unimproved" ? 2.2
                                                           : 1.7;
  add(x, "satisfaction", std::clamp(static_cast<int>(std::lround(mood + 0.8 * r.normal())), 1, 5));
  add(x, "comments", r.chance(0.05) ? r.one_of(kNotes) : "");
  close_submission(x, g.instance_id, instance_name);
  g.breaks_rule = rule != RuleBreak::none;
  return g;
}

}  // namespace

std::string_view xlsform() {
  auto r = resource("data/demo/household_survey.xlsx");
  if (!r) throw Error(ErrorCode::internal, "the demo survey is not built into this binary");
  return *r;
}

std::vector<Generated> generate(const Options& o) {
  Random r(o.seed);
  std::vector<Home> homes;
  homes.reserve(static_cast<std::size_t>(o.households));
  int made = 0;
  for (int d = 0; d < kDusunCount; ++d) {
    int n = d == kDusunCount - 1 ? o.households - made
                                 : static_cast<int>(std::lround(o.households * kDusunShare[d]));
    for (int i = 1; i <= n; ++i) homes.push_back(make_home(r, d, i));
    made += n;
  }
  // One phone per enumerator: the device id ODK Collect reports.
  for (auto& h : homes) h.device = "collect:" + crypto::sha256_hex(h.enumerator).substr(0, 16);

  // Baseline 3 March – 25 April 2025 (not on Nyepi, Idul Fitri or Good Friday); endline
  // 7 September – 23 October 2026. Households are visited dusun by dusun.
  auto baseline_days = working_days(days_from_civil(2025, 3, 3), days_from_civil(2025, 4, 25),
                                    {days_from_civil(2025, 3, 29), days_from_civil(2025, 3, 31),
                                     days_from_civil(2025, 4, 1), days_from_civil(2025, 4, 18)});
  auto endline_days = working_days(days_from_civil(2026, 9, 7), days_from_civil(2026, 10, 23), {});
  auto day_of = [&](const std::vector<std::int64_t>& days, std::size_t k) {
    return days[k * days.size() / homes.size()];
  };

  std::vector<Generated> out;
  out.reserve(homes.size() * 2);
  for (std::size_t k = 0; k < homes.size(); ++k)
    out.push_back(visit(r, homes[k], false, day_of(baseline_days, k), o.seed));
  for (std::size_t k = 0; k < homes.size(); ++k) {
    evolve(r, homes[k]);
    out.push_back(visit(r, homes[k], true, day_of(endline_days, k), o.seed));
  }
  return out;
}

namespace {

// The scope of the demo user with this role: what they do is recorded as done by them.
OrgScope scope_of(db::Connection& c, std::string_view role) {
  for (const auto& l : demo::logins()) {
    if (l.role != role) continue;
    auto u = accounts::find_user(c, l.email);
    if (!u) throw Error(ErrorCode::internal, "the demo user " + l.email + " is missing");
    return resolve_scope(c, Actor{u->id, u->email, u->name, std::nullopt, {}, {}}, demo::kOrgSlug);
  }
  throw Error(ErrorCode::internal, "the demo has no " + std::string(role));
}

// Deterministic choices that must not depend on the order in which submissions were stored.
double hash_fraction(std::string_view instance_id) {
  std::string h = crypto::sha256_hex(instance_id);
  return static_cast<double>(std::stoul(h.substr(0, 8), nullptr, 16)) / 4294967296.0;
}

}  // namespace

Result load(db::Database& db, const AttachmentStore& store, const Options& o) {
  Result result;
  auto org = db.read_value([](db::Connection& c) { return accounts::find_organisation(c, demo::kOrgSlug); });
  if (!org) throw Error(ErrorCode::not_found, "load the demo organisation before its survey");
  const OrgScope admin = OrgScope::for_cli(org->id, org->slug);

  auto existing = db.read_value([&](db::Connection& c) {
    std::optional<forms::Form> found;
    for (auto& f : forms::list(c, admin, true))
      if (f.xml_form_id == kFormId) found = std::move(f);
    return found;
  });
  if (!existing || !existing->published) {
    // Converted before the write job: conversion is CPU work that must not hold the writer.
    auto upload = forms::make_upload(kFileName, std::string(xlsform()));
    existing = db.write_value([&](db::Connection& c) {
      auto draft = forms::save_draft(c, admin, upload);
      return forms::publish(c, admin, draft.id);
    });
  }
  result.form_id = existing->id;

  std::vector<Generated> all = generate(o);
  result.expected = all.size();

  // What is stored already (all of it, unless an earlier load was interrupted).
  submissions::Filter filter;
  filter.form_id = result.form_id;
  struct Stored {
    std::int64_t id, version;
    std::string state;
  };
  auto stored_now = [&] {
    std::unordered_map<std::string, Stored> stored;
    db.read([&](db::Connection& c) {
      std::optional<std::string> cursor;
      do {
        auto page = submissions::list(c, admin, filter, cursor, 500);
        for (auto& s : page.items)
          if (s.source == "demo") stored[s.instance_id] = {s.id, s.version, s.state};
        cursor = page.next_cursor;
      } while (cursor);
    });
    return stored;
  };
  auto stored = stored_now();

  const OrgScope officer = db.read_value([&](db::Connection& c) { return scope_of(c, "field_officer"); });
  const OrgScope coordinator = db.read_value([&](db::Connection& c) { return scope_of(c, "coordinator"); });

  std::vector<const Generated*> todo;
  for (const auto& g : all)
    if (!stored.count(g.instance_id)) todo.push_back(&g);
  if (todo.empty()) return result;
  {
    // Several senders at once, so the single writer commits them in groups (one fsync per group).
    std::atomic<std::size_t> next{0}, received{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    unsigned threads = std::clamp(std::thread::hardware_concurrency() * 4, 4u, 16u);
    std::vector<std::thread> senders;
    for (unsigned t = 0; t < threads; ++t) {
      senders.emplace_back([&] {
        for (std::size_t i = next++; i < todo.size(); i = next++) {
          try {
            submissions::Incoming in;
            in.xml = todo[i]->xml;
            in.source = "demo";
            in.form_id = result.form_id;
            in.submitted_at = todo[i]->submitted_at;
            auto r = submissions::receive(db, officer, store, std::move(in));
            if (r.outcome == submissions::Outcome::created) ++received;
          } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure) failure = std::current_exception();
            next = todo.size();
          }
        }
      });
    }
    for (auto& t : senders) t.join();
    if (failure) std::rethrow_exception(failure);
    result.received = received;
    stored = stored_now();
  }

  // Review: the coordinator approved nearly every clean baseline and about half of the endline
  // so far, and asked the enumerators to check each submission with issues. Only the
  // submissions stored by this call are reviewed, so a second load changes nothing.
  db.write([&](db::Connection& c) {
    for (const Generated* g : todo) {
      auto it = stored.find(g->instance_id);
      if (it == stored.end()) continue;
      const Stored& s = it->second;
      double f = hash_fraction(g->instance_id);
      if (s.state == "received" && g->consent && f < (g->endline ? 0.45 : 0.9)) {
        submissions::set_state(c, coordinator, s.id, s.version, "approved", "");
        ++result.approved;
      } else if (s.state == "has_issues") {
        submissions::add_comment(
            c, coordinator, s.id,
            "Ada jawaban yang melanggar aturan formulir. Mohon enumerator mengecek ulang ke "
            "rumah tangga ini dan memperbaikinya.");
      }
    }
  });
  return result;
}

}  // namespace gotong::domain::demo_survey
