#include "domain/evaluations_text.hpp"

#include <cmath>
#include <cstdio>

namespace gotong::domain::evaluations::text {

std::string format_number(double v, int decimals, bool indonesian) {
  if (!std::isfinite(v)) return "-";
  const double scale = std::pow(10.0, decimals);
  double rounded = std::round(std::fabs(v) * scale) / scale;
  const bool negative = v < 0 && rounded != 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, rounded);
  std::string s(buf);
  std::string whole = s, frac;
  if (auto dot = s.find('.'); dot != std::string::npos) {
    whole = s.substr(0, dot);
    frac = s.substr(dot + 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) grouped.push_back(indonesian ? '.' : ',');
    grouped.push_back(whole[i]);
  }
  std::string out = negative ? "-" : "";
  out += grouped;
  if (!frac.empty()) {
    out.push_back(indonesian ? ',' : '.');
    out += frac;
  }
  return out;
}

namespace {

std::string value(const Row& r, double v, bool id) {
  std::string s = format_number(v, r.percent ? 1 : 2, id);
  if (r.percent) return s + "%";
  const std::string& unit = id ? r.unit_id : r.unit_en;
  return unit.empty() ? s : s + " " + unit;
}

// The size of a change: percentage points for percentages ("12,5 poin"), else in the unit.
std::string amount(const Row& r, double v, bool id) {
  std::string s = format_number(std::fabs(v), r.percent ? 1 : 2, id);
  if (r.percent) return s + (id ? " poin persen" : " percentage points");
  const std::string& unit = id ? r.unit_id : r.unit_en;
  return unit.empty() ? s : s + " " + unit;
}

bool is_zero(const Row& r, double v) { return format_number(std::fabs(v), r.percent ? 1 : 2, false) == "0"; }

std::string movement(const Row& r, double change, bool id) {
  if (is_zero(r, change)) return id ? "tidak berubah" : "no change";
  return std::string(change > 0 ? (id ? "naik " : "up ") : (id ? "turun " : "down ")) + amount(r, change, id);
}

// Whether a clear change went the way the program wanted.
std::string direction(const Row& r, double change, bool id) {
  if (r.desired == "none" || is_zero(r, change)) return "";
  const bool good = (r.desired == "increase") == (change > 0);
  if (good)
    return id ? " Arahnya sesuai dengan tujuan program." : " This is the direction the program aimed for.";
  return id ? " Arahnya berlawanan dengan tujuan program." : " This goes against what the program aimed for.";
}

std::string chance(std::optional<double> p, bool id, bool estimate) {
  if (!p) return "";
  if (*p < kSignificance)
    return estimate ? (id ? " Perkiraan ini cukup kuat: hampir pasti bukan kebetulan."
                          : " This estimate is solid: it is very unlikely to be chance.")
                    : (id ? " Perubahan ini cukup besar sehingga hampir pasti bukan kebetulan."
                          : " This change is large enough that it is very unlikely to be chance.");
  return estimate
             ? (id ? " Namun perbedaan sebesar ini bisa saja karena kebetulan, jadi belum bisa dipastikan."
                   : " But a difference this size could be due to chance, so we cannot be sure yet.")
             : (id ? " Perubahan sebesar ini bisa saja terjadi karena kebetulan, jadi belum bisa dipastikan."
                   : " A change this size could happen by chance, so we cannot be sure yet.");
}

std::string one(const Row& r, bool id) {
  const std::string& label = id ? r.label_id : (r.label_en.empty() ? r.label_id : r.label_en);
  if (!r.before && !r.after)
    return label + (id ? ": belum ada data sebelum maupun sesudah program."
                       : ": there is no data yet, before or after the program.");
  if (!r.before)
    return label +
           (id ? ": " + value(r, *r.after, id) +
                     " sesudah program, tetapi belum ada data sebelum program untuk dibandingkan."
               : ": " + value(r, *r.after, id) +
                     " after the program, but there is no data from before the program to compare with.");
  if (!r.after)
    return label +
           (id ? ": " + value(r, *r.before, id) + " sebelum program, tetapi belum ada data sesudah program."
               : ": " + value(r, *r.before, id) +
                     " before the program, but there is no data after the program yet.");
  std::string s = label + ": " + (r.percent ? "" : (id ? "rata-rata " : "on average ")) +
                  value(r, *r.before, id) + (id ? " sebelum program dan " : " before the program and ") +
                  value(r, *r.after, id) + (id ? " sesudahnya" : " after it");
  const double change = r.change.value_or(*r.after - *r.before);
  s += " (" + movement(r, change, id) + ").";
  bool direction_said = false;
  if (r.change) {
    s += chance(r.p_value, id, false);
    if (r.p_value && *r.p_value < kSignificance) {
      const std::string d = direction(r, change, id);
      direction_said = !d.empty();
      s += d;
    }
  } else {
    const std::string& why = id ? r.change_shortfall_id : r.change_shortfall_en;
    s += id ? " Data belum cukup untuk menilai apakah perubahan ini nyata"
            : " There is not enough data to tell whether this change is real";
    s += why.empty() ? "." : ": " + why;
    if (s.back() != '.') s += ".";
  }
  if (!r.comparison) return s;
  if (r.control_change)
    s += id ? " Di wilayah pembanding yang belum mendapat program, angkanya " +
                  movement(r, *r.control_change, id) + "."
            : " In the comparison areas without the program, it went " + movement(r, *r.control_change, id) +
                  ".";
  if (!r.did) {
    const std::string& why = id ? r.did_shortfall_id : r.did_shortfall_en;
    s += id ? " Perbandingan dengan wilayah pembanding belum bisa dihitung"
            : " The comparison with those areas cannot be worked out yet";
    s += why.empty() ? "." : ": " + why;
    if (s.back() != '.') s += ".";
    return s;
  }
  if (is_zero(r, *r.did)) {
    s += id ? " Jadi program belum terlihat membuat perbedaan dibanding wilayah pembanding."
            : " So the program has not yet made a visible difference compared with those areas.";
    return s;
  }
  const bool up = *r.did > 0;
  s += id ? std::string(" Dengan memperhitungkan itu, program diperkirakan ") +
                (up ? "menaikkan" : "menurunkan") + " angka ini sebesar " + amount(r, *r.did, id) + "."
          : std::string(" Taking that into account, the program is estimated to have ") +
                (up ? "raised" : "lowered") + " it by " + amount(r, *r.did, id) + ".";
  const bool clear = r.did_p_value && *r.did_p_value < kSignificance;
  if (r.few_clusters) {
    // Few clusters make the interval itself unreliable: never call such an estimate solid.
    s += clear
             ? (id ? " Perbedaannya tampak jelas, tetapi kurang pasti karena hanya sedikit dusun atau desa "
                     "yang "
                     "dibandingkan."
                   : " The difference looks clear, but it is less certain because only a few hamlets or "
                     "villages "
                     "were compared.")
             : (id ? " Perbedaan sebesar ini bisa saja karena kebetulan, apalagi hanya sedikit dusun atau "
                     "desa yang "
                     "dibandingkan."
                   : " A difference this size could be due to chance, all the more as only a few hamlets or "
                     "villages were compared.");
  } else {
    s += chance(r.did_p_value, id, true);
  }
  if (clear && !(direction_said && (change > 0) == up)) s += direction(r, *r.did, id);
  return s;
}

}  // namespace

Sentences describe(const Row& r) { return {one(r, true), one(r, false)}; }

}  // namespace gotong::domain::evaluations::text
