#include "reports/format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gotong::reports {

namespace {

constexpr const char* kMonthsId[] = {"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                     "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};
constexpr const char* kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                     "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kShortId[] = {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
                                    "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
constexpr const char* kShortEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

char group_sep(Lang l) { return l == Lang::id ? '.' : ','; }
char decimal_sep(Lang l) { return l == Lang::id ? ',' : '.'; }

// "1234567" → "1.234.567"
std::string group(std::string_view digits, Lang l) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(group_sep(l));
    out.push_back(digits[i]);
  }
  return out;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

// The month 1–12 of "YYYY-MM...", or 0.
int month_of(std::string_view s) {
  if (s.size() < 7 || s[4] != '-' || !all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2))) return 0;
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  return m >= 1 && m <= 12 ? m : 0;
}

}  // namespace

std::string format_int(std::int64_t v, Lang l) {
  const unsigned long long a =
      v < 0 ? static_cast<unsigned long long>(-(v + 1)) + 1ULL : static_cast<unsigned long long>(v);
  return (v < 0 ? "-" : "") + group(std::to_string(a), l);
}

std::string format_number(double v, Lang l, int decimals) {
  if (!std::isfinite(v)) return "–";
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  char buf[64];
  // Half away from zero, as people round (printf would round 47.25 to 47.2).
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(std::fabs(v) * scale) / scale;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, rounded);
  std::string s = buf;
  std::string int_part = s, frac;
  if (auto dot = s.find('.'); dot != std::string::npos) {
    int_part = s.substr(0, dot);
    frac = s.substr(dot + 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  const bool zero = int_part.find_first_not_of('0') == std::string::npos && frac.empty();
  std::string out = (v < 0 && !zero) ? "-" : "";
  out += group(int_part, l);
  if (!frac.empty()) {
    out.push_back(decimal_sep(l));
    out += frac;
  }
  return out;
}

std::string format_optional(const std::optional<double>& v, Lang l, int decimals) {
  return v ? format_number(*v, l, decimals) : std::string("–");
}

std::string format_measure(const std::optional<double>& v, std::string_view measure, Lang l) {
  if (!v) return "–";
  if (measure == "percentage") return format_number(*v, l, 1) + "%";
  return format_number(*v, l, 2);
}

std::string format_percent(double fraction, Lang l) { return format_number(fraction * 100.0, l, 1) + "%"; }

int minor_digits(std::string_view currency) {
  // Whole units: rupiah as the project keeps it, and the ISO 4217 currencies without a minor unit.
  for (const char* c : {"IDR", "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "PYG", "XOF", "XAF"})
    if (currency == c) return 0;
  for (const char* c : {"BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"})
    if (currency == c) return 3;
  return 2;
}

std::string format_money(std::int64_t minor, std::string_view currency, Lang l) {
  const int digits = minor_digits(currency);
  std::string prefix = currency == "IDR" ? std::string("Rp ") : std::string(currency) + " ";
  const bool negative = minor < 0;
  unsigned long long a = negative ? static_cast<unsigned long long>(-(minor + 1)) + 1ULL
                                  : static_cast<unsigned long long>(minor);
  unsigned long long scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = (negative ? "-" : "") + prefix + group(std::to_string(a / scale), l);
  if (digits > 0) {
    std::string frac = std::to_string(a % scale);
    while (static_cast<int>(frac.size()) < digits) frac.insert(frac.begin(), '0');
    out.push_back(decimal_sep(l));
    out += frac;
  }
  return out;
}

std::string format_date(std::string_view date, Lang l) {
  const int m = month_of(date);
  if (m == 0 || date.size() != 10 || date[7] != '-' || !all_digits(date.substr(8, 2)))
    return std::string(date);
  const int day = (date[8] - '0') * 10 + (date[9] - '0');
  const char* month = (l == Lang::id ? kMonthsId : kMonthsEn)[m - 1];
  return std::to_string(day) + " " + month + " " + std::string(date.substr(0, 4));
}

std::string format_period(std::string_view p, Lang l) {
  if (p == "LOP") return tr(l, "Life of program", "Seluruh masa program");
  if (p.size() == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
    static constexpr const char* kRoman[] = {"I", "II", "III", "IV"};
    const std::string year(p.substr(0, 4));
    if (l == Lang::id) return std::string("Triwulan ") + kRoman[p[6] - '1'] + " " + year;
    return std::string("Q") + p[6] + " " + year;
  }
  if (p.size() == 7) {
    if (int m = month_of(p))
      return std::string((l == Lang::id ? kMonthsId : kMonthsEn)[m - 1]) + " " + std::string(p.substr(0, 4));
  }
  return std::string(p);
}

std::string format_month_short(std::string_view p, Lang l) {
  if (int m = month_of(p))
    return std::string((l == Lang::id ? kShortId : kShortEn)[m - 1]) + " " + std::string(p.substr(2, 2));
  return format_period(p, l);
}

std::string status_label(std::string_view s, Lang l) {
  if (s == "on_track") return tr(l, "On track", "Sesuai target");
  if (s == "ahead") return tr(l, "Ahead", "Melampaui target");
  if (s == "behind") return tr(l, "Behind", "Tertinggal");
  if (s == "no_data") return tr(l, "No data", "Belum ada data");
  return "–";
}

std::string activity_status_label(std::string_view s, Lang l) {
  if (s == "planned") return tr(l, "Planned", "Direncanakan");
  if (s == "ongoing") return tr(l, "Ongoing", "Berjalan");
  if (s == "done") return tr(l, "Done", "Selesai");
  if (s == "cancelled") return tr(l, "Cancelled", "Dibatalkan");
  if (s == "postponed") return tr(l, "Postponed", "Ditunda");
  return std::string(s);
}

std::string program_status_label(std::string_view s, Lang l) {
  if (s == "planned") return tr(l, "Planned", "Direncanakan");
  if (s == "active") return tr(l, "Active", "Aktif");
  if (s == "completed") return tr(l, "Completed", "Selesai");
  if (s == "suspended") return tr(l, "Suspended", "Dihentikan sementara");
  return std::string(s);
}

std::string stakeholder_role_label(std::string_view r, Lang l) {
  if (r == "donor") return tr(l, "Donor", "Donor");
  if (r == "implementing_partner") return tr(l, "Implementing partner", "Mitra pelaksana");
  if (r == "government_counterpart") return tr(l, "Government counterpart", "Mitra pemerintah");
  if (r == "beneficiary_group") return tr(l, "Beneficiary group", "Kelompok penerima manfaat");
  return tr(l, "Other", "Lainnya");
}

std::string age_band_label(std::string_view b, Lang l) {
  if (b == "unknown") return tr(l, "Age unknown", "Umur tidak diketahui");
  return std::string(b) + tr(l, " years", " tahun");
}

std::string criterion_label(std::string_view c, Lang l) {
  if (c == "relevance") return tr(l, "Relevance", "Relevansi");
  if (c == "coherence") return tr(l, "Coherence", "Koherensi");
  if (c == "effectiveness") return tr(l, "Effectiveness", "Efektivitas");
  if (c == "efficiency") return tr(l, "Efficiency", "Efisiensi");
  if (c == "impact") return tr(l, "Impact", "Dampak");
  if (c == "sustainability") return tr(l, "Sustainability", "Keberlanjutan");
  return std::string(c);
}

std::string dimension_label(std::string_view d, Lang l) {
  if (d == "sex") return tr(l, "Sex", "Jenis kelamin");
  if (d == "age_band") return tr(l, "Age band", "Kelompok umur");
  if (d == "disability") return tr(l, "Disability", "Disabilitas");
  if (d == "area") return tr(l, "Area", "Wilayah");
  return std::string(d);
}

std::string category_label(const Disaggregation& d, std::string_view c, Lang l) {
  for (const auto& v : d.values)
    if (v.key == c && !v.label.empty()) return v.label;
  if (c.empty()) return tr(l, "(no answer)", "(tidak diisi)");
  if (d.kind == "age_band") return age_band_label(c, l);
  if (c == "unknown") return tr(l, "Unknown", "Tidak diketahui");
  if (c == "female") return tr(l, "Female", "Perempuan");
  if (c == "male") return tr(l, "Male", "Laki-laki");
  if (c == "with") return tr(l, "With a disability", "Dengan disabilitas");
  if (c == "without") return tr(l, "Without a disability", "Tanpa disabilitas");
  return std::string(c);
}

}  // namespace gotong::reports
