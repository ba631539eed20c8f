// The program progress report as one self-contained HTML page (inline CSS, charts as inline
// SVG, no script): the web app shows it in a frame or a tab, and a browser prints it on A4.
#include <cmath>
#include <map>

#include "reports/format.hpp"
#include "reports/pdf_charts.hpp"
#include "reports/writers.hpp"

namespace gotong::reports {

namespace {

// Text for HTML content and attribute values.
std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

// Paragraphs from text with blank-line or single-line breaks.
std::string paragraphs(std::string_view text) {
  std::string out = "<p>", line;
  for (char ch : text) {
    if (ch == '\n') {
      out += esc(line) + "<br>";
      line.clear();
    } else {
      line.push_back(ch);
    }
  }
  return out + esc(line) + "</p>";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string percent_of(std::int64_t part, std::int64_t whole, Lang l) {
  return whole > 0 ? format_percent(static_cast<double>(part) / static_cast<double>(whole), l) : "–";
}

struct Series {
  std::string name, css;  // css class: target, actual, planned, spent
  std::vector<std::optional<double>> values;
};

// Grouped bars as SVG with a value axis, as the PDF draws them.
std::string bar_chart(const std::vector<std::string>& categories, const std::vector<Series>& series,
                      std::optional<double> baseline, const std::string& baseline_name, bool percent,
                      bool money, Lang l) {
  double max = 0;
  for (const auto& s : series)
    for (const auto& v : s.values)
      if (v) max = std::max(max, *v);
  if (baseline) max = std::max(max, *baseline);
  if (percent && max > 50 && max <= 100) max = 100;
  const double step = pdf::nice_step(max > 0 ? max : 1);
  double top = std::max(step, std::ceil(max / step - 1e-9) * step);
  if (top - max < step * 0.12 && !(percent && top >= 100)) top += step;
  auto label = [&](double v) {
    if (percent) return format_number(v, l, 1) + "%";
    if (money && v >= 1e6) return format_number(v / 1e6, l, 1) + tr(l, "M", " jt");
    if (money && v >= 1e3) return format_number(v / 1e3, l, 1) + tr(l, "k", " rb");
    return format_number(v, l, 2);
  };
  const double w = 640, h = 190, left = 52, bottom = 22, plot_h = h - bottom - 8, plot_w = w - left - 6;
  auto y_of = [&](double v) { return 8 + plot_h - v / top * plot_h; };
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + num(w) + " " + num(h) +
                    "\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">";
  for (double v = 0; v <= top + step / 2; v += step) {
    svg += "<line class=\"grid\" x1=\"" + num(left) + "\" x2=\"" + num(w - 6) + "\" y1=\"" + num(y_of(v)) +
           "\" y2=\"" + num(y_of(v)) + "\"/>";
    svg += "<text class=\"axis\" x=\"" + num(left - 5) + "\" y=\"" + num(y_of(v) + 3) +
           "\" text-anchor=\"end\">" + esc(label(v)) + "</text>";
  }
  const double n = static_cast<double>(std::max<std::size_t>(1, categories.size()));
  const double slot = plot_w / n;
  const double k = static_cast<double>(std::max<std::size_t>(1, series.size()));
  const double group = std::min(slot * 0.72, 46.0 * k), bar = group / k;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const double gx = left + slot * static_cast<double>(i) + (slot - group) / 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (i >= series[s].values.size() || !series[s].values[i]) continue;
      const double v = std::max(0.0, *series[s].values[i]);
      const double x = gx + bar * static_cast<double>(s);
      svg += "<rect class=\"" + series[s].css + "\" x=\"" + num(x + 0.5) + "\" y=\"" + num(y_of(v)) +
             "\" width=\"" + num(bar - 1) + "\" height=\"" + num(y_of(0) - y_of(v)) + "\"><title>" +
             esc(series[s].name) + ": " + esc(label(v)) + "</title></rect>";
    }
    svg += "<text class=\"axis\" x=\"" + num(left + slot * (static_cast<double>(i) + 0.5)) + "\" y=\"" +
           num(h - 6) + "\" text-anchor=\"middle\">" + esc(categories[i]) + "</text>";
  }
  if (baseline)
    svg += "<line class=\"baseline\" x1=\"" + num(left) + "\" x2=\"" + num(w - 6) + "\" y1=\"" +
           num(y_of(*baseline)) + "\" y2=\"" + num(y_of(*baseline)) + "\"><title>" + esc(baseline_name) +
           "</title></line>";
  svg += "</svg><div class=\"legend\">";
  for (const auto& s : series) svg += "<span class=\"key " + s.css + "\"></span>" + esc(s.name) + " ";
  if (baseline) svg += "<span class=\"key baseline\"></span>" + esc(baseline_name);
  return svg + "</div>";
}

class Page {
 public:
  explicit Page(Lang l) : l_(l) {}
  std::string& out() { return out_; }
  const char* t(const char* en, const char* id) const { return tr(l_, en, id); }
  void h(int level, const std::string& text) {
    out_ += "<h" + std::to_string(level) + ">" + esc(text) + "</h" + std::to_string(level) + ">";
  }
  // A table: `right` marks right-aligned columns; a row of one cell spans the table.
  void table(const std::vector<std::string>& head, const std::vector<bool>& right,
             const std::vector<std::vector<std::string>>& rows,
             const std::vector<std::string>& row_class = {}) {
    out_ += "<table><thead><tr>";
    for (std::size_t i = 0; i < head.size(); ++i)
      out_ += std::string("<th") + (i < right.size() && right[i] ? " class=\"num\"" : "") + ">" +
              esc(head[i]) + "</th>";
    out_ += "</tr></thead><tbody>";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::string cls = r < row_class.size() ? row_class[r] : std::string();
      out_ += cls.empty() ? "<tr>" : "<tr class=\"" + cls + "\">";
      if (rows[r].size() == 1 && head.size() > 1) {
        out_ += "<td colspan=\"" + std::to_string(head.size()) + "\">" + esc(rows[r][0]) + "</td></tr>";
        continue;
      }
      for (std::size_t i = 0; i < rows[r].size(); ++i) {
        std::string cell = esc(rows[r][i]);
        for (std::size_t p; (p = cell.find('\n')) != std::string::npos;) cell.replace(p, 1, "<br>");
        out_ += std::string("<td") + (i < right.size() && right[i] ? " class=\"num\"" : "") + ">" + cell +
                "</td>";
      }
      out_ += "</tr>";
    }
    out_ += "</tbody></table>";
  }

 private:
  Lang l_;
  std::string out_;
};

constexpr const char* kStyle = R"css(
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #21262e; font-size: 10pt; line-height: 1.4;
       max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 20pt; margin: 2pt 0 4pt; }
h2 { color: #145c78; font-size: 14pt; border-bottom: 2px solid #145c78; padding-bottom: 2pt; margin-top: 18pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
.org { color: #666e78; font-weight: bold; }
.kicker { color: #145c78; font-weight: bold; letter-spacing: .04em; }
table { width: 100%; border-collapse: collapse; margin: 6pt 0 10pt; font-size: 8.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
th { background: #145c78; color: #fff; text-align: left; padding: 4pt; vertical-align: top; }
td { padding: 4pt; border-bottom: 1px solid #c7ccd1; vertical-align: top; }
tr { page-break-inside: avoid; }
tbody tr:nth-child(even) td { background: #f4f6f7; }
tr.group td { background: #dee9ee !important; font-weight: bold; }
tr.total td { font-weight: bold; }
.num { text-align: right; white-space: nowrap; }
td.on_track { background: #d9f0db !important; } td.ahead { background: #d9e8fa !important; }
td.behind { background: #fcded9 !important; } td.no_data { background: #ededed !important; }
.tiles { display: flex; gap: 8pt; margin: 8pt 0; }
.tile { flex: 1; background: #edf5f7; border-left: 3px solid #145c78; padding: 6pt 8pt; }
.tile b { display: block; font-size: 15pt; color: #145c78; }
.tile span { font-size: 7.5pt; color: #666e78; }
.note { font-size: 8pt; color: #666e78; font-style: italic; }
svg.chart { width: 100%; height: auto; }
.grid { stroke: #c7ccd1; stroke-width: .6; } .axis { font-size: 9px; fill: #666e78; }
rect.target { fill: rgba(115,128,143,.18); stroke: #73808f; } rect.actual { fill: #145c78; }
rect.planned { fill: #9eb3c2; } rect.spent { fill: #d98029; }
line.baseline { stroke: #bf5919; stroke-width: 1.4; stroke-dasharray: 5 3; }
.legend { font-size: 8pt; color: #666e78; margin-bottom: 10pt; }
.key { display: inline-block; width: 10px; height: 9px; margin: 0 4px 0 10px; vertical-align: -1px; }
.key.target { background: rgba(115,128,143,.18); border: 1px solid #73808f; } .key.actual { background: #145c78; }
.key.planned { background: #9eb3c2; } .key.spent { background: #d98029; }
.key.baseline { border-top: 2px dashed #bf5919; height: 0; vertical-align: 3px; }
)css";

void results_section(Page& pg, const ProgramReport& r, Lang l) {
  pg.h(2, std::string("2. ") + pg.t("Results framework and indicators", "Kerangka hasil dan indikator"));
  if (r.results.empty()) {
    pg.out() +=
        "<p class=\"note\">" +
        esc(pg.t("The program has no results framework yet.", "Program belum memiliki kerangka hasil.")) +
        "</p>";
    return;
  }
  std::string& o = pg.out();
  o += "<table><thead><tr><th>" + esc(pg.t("Indicator", "Indikator")) +
       "</th><th class=\"num\">Baseline</th>"
       "<th class=\"num\">Target</th><th class=\"num\">" +
       esc(pg.t("Actual", "Capaian")) +
       "</th><th>Status</th>"
       "</tr></thead><tbody>";
  for (const auto& n : r.results) {
    o += "<tr class=\"group\"><td colspan=\"5\" style=\"padding-left:" + std::to_string(4 + 12 * n.tier) +
         "pt\">" + esc(n.tier_name + ": " + (n.code.empty() ? "" : n.code + " ") + n.title) + "</td></tr>";
    for (const auto& i : n.indicators) {
      std::string name = i.code.empty() ? i.title : i.code + "  " + i.title;
      if (!i.unit_label.empty() && i.measure != "percentage") name += " (" + i.unit_label + ")";
      const bool q = i.measure == "qualitative";
      std::string target = esc(format_measure(i.target, i.measure, l));
      if (i.target && !i.target_period.empty()) target += "<br>" + esc(format_period(i.target_period, l));
      std::string actual = esc(q ? (i.actual_narrative.empty() ? "–" : i.actual_narrative)
                                 : format_measure(i.actual, i.measure, l));
      if (!i.actual_period.empty()) actual += "<br>" + esc(format_period(i.actual_period, l));
      o += "<tr><td>" + esc(name) + "</td><td class=\"num\">" +
           esc(q ? (i.baseline_narrative.empty() ? "–" : i.baseline_narrative)
                 : format_measure(i.baseline, i.measure, l)) +
           "</td><td class=\"num\">" + target + "</td><td class=\"num\">" + actual + "</td><td class=\"" +
           esc(i.status) + "\">" + esc(status_label(i.status, l)) + "</td></tr>";
    }
  }
  o += "</tbody></table>";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> cls;
  for (const auto& n : r.results)
    for (const auto& i : n.indicators) {
      if (i.disaggregation.empty()) continue;
      rows.push_back(
          {(i.code.empty() ? i.title : i.code + "  " + i.title) + " — " + format_period(i.actual_period, l)});
      cls.push_back("group");
      for (const auto& d : i.disaggregation)
        for (const auto& v : d.values) {
          rows.push_back({dimension_label(d.dimension, l), category_label(d, v.key, l),
                          format_measure(v.value, i.measure, l), v.units ? format_int(*v.units, l) : "–"});
          cls.push_back("");
        }
    }
  if (!rows.empty()) {
    pg.h(3, pg.t("Disaggregation", "Disagregasi"));
    pg.table({pg.t("Dimension", "Dimensi"), pg.t("Category", "Kategori"), pg.t("Value", "Nilai"), "n"},
             {false, false, true, true}, rows, cls);
  }
}

}  // namespace

std::string render_html(const ProgramReport& r) {
  const Lang l = r.lang;
  Page pg(l);
  std::string& o = pg.out();
  const std::string period = format_date(r.period.from, l) + " – " + format_date(r.period.to, l);
  o += "<!DOCTYPE html><html lang=\"" + std::string(l == Lang::id ? "id" : "en") +
       "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
       "initial-scale=1\">"
       "<title>" +
       esc(r.program_name + " — " + period) + "</title><style>" + kStyle + "</style></head><body>";
  o += "<div class=\"org\">" + esc(r.organisation.name) + "</div><div class=\"kicker\">" +
       esc(pg.t("PROGRAM PROGRESS REPORT", "LAPORAN KEMAJUAN PROGRAM")) + "</div><h1>" + esc(r.program_name) +
       "</h1><p>" + esc(pg.t("Reporting period: ", "Periode laporan: ") + period) + "</p>";

  std::vector<std::vector<std::string>> about{
      {pg.t("Program period", "Masa program"),
       format_date(r.program_start, l) + " – " + format_date(r.program_end, l)},
      {"Status", program_status_label(r.status, l)}};
  std::string areas;
  for (const auto& a : r.areas) areas += (areas.empty() ? "" : ", ") + a;
  if (!areas.empty()) about.push_back({pg.t("Areas", "Wilayah"), areas});
  std::map<std::string, std::string> by_role;
  for (const auto& [name, role] : r.stakeholders) {
    auto& s = by_role[stakeholder_role_label(role, l)];
    s += (s.empty() ? "" : ", ") + name;
  }
  for (const auto& [role, names] : by_role) about.push_back({role, names});
  about.push_back({pg.t("Prepared on", "Disusun pada"), format_date(r.generated_on, l)});
  pg.table({pg.t("About the program", "Tentang program"), ""}, {false, false}, about);
  if (!r.description.empty()) o += paragraphs(r.description);

  // Summary.
  pg.h(2, std::string("1. ") + pg.t("Summary", "Ringkasan"));
  int with_target = 0, good = 0, done = 0;
  for (const auto& n : r.results)
    for (const auto& i : n.indicators)
      if (!i.status.empty()) {
        ++with_target;
        if (i.status == "on_track" || i.status == "ahead") ++good;
      }
  for (const auto& a : r.activities)
    if (a.status == "done") ++done;
  auto tile = [&](const std::string& figure, const char* en, const char* id) {
    o += "<div class=\"tile\"><b>" + esc(figure) + "</b><span>" + esc(pg.t(en, id)) + "</span></div>";
  };
  o += "<div class=\"tiles\">";
  tile(std::to_string(good) + " / " + std::to_string(with_target), "indicators on track or ahead",
       "indikator sesuai atau melampaui target");
  tile(std::to_string(done) + " / " + std::to_string(r.activities.size()), "activities done",
       "kegiatan selesai");
  tile(format_int(r.reach.unique_people, l), "people reached in the period",
       "orang terjangkau dalam periode");
  tile(r.budget.present ? percent_of(r.budget.actual_to_date, r.budget.planned_to_date, l) : "–",
       "of the budget planned to date spent", "anggaran s.d. periode ini terserap");
  o += "</div>";
  if (!r.narrative.summary.empty()) o += paragraphs(r.narrative.summary);

  results_section(pg, r, l);

  int number = 3;
  bool charts = false;
  for (const auto& n : r.results)
    for (const auto& i : n.indicators) {
      if (i.measure == "qualitative" || i.points.empty()) continue;
      if (!charts)
        pg.h(2, std::to_string(number++) + pg.t(". Indicators over time", ". Perkembangan indikator"));
      charts = true;
      std::vector<std::string> cats;
      Series target{pg.t("Target", "Target"), "target", {}}, actual{pg.t("Actual", "Capaian"), "actual", {}};
      for (const auto& p : i.points) {
        cats.push_back(p.period.size() == 7 && p.period[5] != 'Q' ? format_month_short(p.period, l)
                                                                  : format_period(p.period, l));
        target.values.push_back(p.target);
        actual.values.push_back(p.actual);
      }
      pg.h(3, i.code.empty() ? i.title : i.code + "  " + i.title);
      o += bar_chart(cats, {target, actual}, i.baseline, "Baseline", i.measure == "percentage", false, l);
    }

  // Activities.
  pg.h(2, std::to_string(number++) + pg.t(". Activities", ". Kegiatan"));
  std::vector<std::vector<std::string>> acts;
  for (const auto& a : r.activities) {
    std::string when = format_date(a.planned_start, l) + " – " + format_date(a.planned_end, l);
    if (a.actual_start)
      when += "\n" + std::string(pg.t("actual: ", "realisasi: ")) + format_date(*a.actual_start, l) +
              (a.actual_end ? " – " + format_date(*a.actual_end, l) : std::string());
    acts.push_back({(a.code.empty() ? a.title : a.code + "  " + a.title) +
                        (a.responsible.empty() ? std::string() : "\n" + a.responsible),
                    activity_status_label(a.status, l), when, format_int(a.sessions, l),
                    format_int(a.unique_people, l)});
  }
  if (acts.empty()) {
    o += "<p class=\"note\">" +
         esc(pg.t("No activity was planned or carried out in this period.",
                  "Tidak ada kegiatan yang direncanakan atau dilaksanakan dalam periode ini.")) +
         "</p>";
  } else {
    pg.table({pg.t("Activity", "Kegiatan"), "Status", pg.t("Schedule", "Jadwal"), pg.t("Sessions", "Sesi"),
              pg.t("People", "Orang")},
             {false, false, false, true, true}, acts);
  }

  // People reached.
  const Reach& x = r.reach;
  pg.h(2, std::to_string(number++) + pg.t(". People reached", ". Penerima manfaat terjangkau"));
  o += "<p>" +
       esc(format_int(x.sessions, l) + pg.t(" sessions held, ", " sesi terlaksana, ") +
           format_int(x.attendances, l) + pg.t(" attendances, ", " kehadiran, ") +
           format_int(x.unique_people, l) + pg.t(" different people.", " orang berbeda.")) +
       "</p>";
  std::vector<std::vector<std::string>> bands;
  std::vector<std::string> band_cls;
  for (std::size_t b = 0; b < kAgeBands.size(); ++b) {
    bands.push_back({age_band_label(kAgeBands[b], l), format_int(x.sex_by_age_band[0][b], l),
                     format_int(x.sex_by_age_band[1][b], l), format_int(x.age_bands[b], l)});
    band_cls.push_back("");
  }
  bands.push_back({pg.t("Total", "Jumlah"), format_int(x.female, l), format_int(x.male, l),
                   format_int(x.unique_people, l)});
  band_cls.push_back("total");
  pg.table({pg.t("Age band", "Kelompok umur"), pg.t("Women", "Perempuan"), pg.t("Men", "Laki-laki"),
            pg.t("Total", "Jumlah")},
           {false, true, true, true}, bands, band_cls);

  // Budget.
  const Budget& b = r.budget;
  pg.h(2, std::to_string(number++) + pg.t(". Budget", ". Anggaran"));
  if (!b.present) {
    o += "<p class=\"note\">" +
         esc(pg.t("The program has no budget yet.", "Program belum memiliki anggaran.")) + "</p>";
  } else {
    auto money = [&](std::int64_t v) { return format_money(v, b.currency, l); };
    pg.table(
        {"", pg.t("In the period", "Dalam periode"), pg.t("Up to the period's end", "S.d. akhir periode")},
        {false, true, true},
        {{pg.t("Planned", "Rencana"), money(b.planned_in_period), money(b.planned_to_date)},
         {pg.t("Spent", "Realisasi"), money(b.actual_in_period), money(b.actual_to_date)},
         {pg.t("Spent as share of planned", "Persentase realisasi"),
          percent_of(b.actual_in_period, b.planned_in_period, l),
          percent_of(b.actual_to_date, b.planned_to_date, l)},
         {pg.t("People reached", "Orang terjangkau"), format_int(b.people_in_period, l),
          format_int(b.people_to_date, l)},
         {pg.t("Cost per person reached", "Biaya per orang terjangkau"),
          b.cost_per_person_in_period ? money(*b.cost_per_person_in_period) : "–",
          b.cost_per_person_to_date ? money(*b.cost_per_person_to_date) : "–"}},
        {"", "", "", "", "total"});
    if (!b.months.empty()) {
      std::vector<std::string> cats;
      Series planned{pg.t("Planned", "Rencana"), "planned", {}},
          spent{pg.t("Spent", "Realisasi"), "spent", {}};
      const double scale = std::pow(10.0, minor_digits(b.currency));
      for (const auto& m : b.months) {
        cats.push_back(format_month_short(m.period, l));
        planned.values.push_back(static_cast<double>(m.planned) / scale);
        spent.values.push_back(static_cast<double>(m.actual) / scale);
      }
      pg.h(3, pg.t("Planned and spent per month", "Rencana dan realisasi per bulan"));
      o += bar_chart(cats, {planned, spent}, std::nullopt, "", false, true, l);
    }
    auto rows_table = [&](const std::vector<BudgetRow>& rows, const char* en, const char* id,
                          bool with_code) {
      std::vector<std::vector<std::string>> out;
      std::vector<std::string> cls;
      BudgetRow total;
      for (const auto& row : rows) {
        out.push_back({!with_code || row.code.empty() ? row.name : row.code + "  " + row.name,
                       money(row.planned_in_period), money(row.actual_in_period), money(row.planned),
                       money(row.actual), percent_of(row.actual, row.planned, l)});
        cls.push_back("");
        total.planned += row.planned;
        total.actual += row.actual;
        total.planned_in_period += row.planned_in_period;
        total.actual_in_period += row.actual_in_period;
      }
      out.push_back({pg.t("Total", "Jumlah"), money(total.planned_in_period), money(total.actual_in_period),
                     money(total.planned), money(total.actual), percent_of(total.actual, total.planned, l)});
      cls.push_back("total");
      pg.table({pg.t(en, id), pg.t("Planned in period", "Rencana periode"),
                pg.t("Spent in period", "Realisasi periode"), pg.t("Whole plan", "Total rencana"),
                pg.t("Spent to date", "Realisasi s.d."), "%"},
               {false, true, true, true, true, true}, out, cls);
    };
    rows_table(b.categories, "Category", "Kategori", false);
    rows_table(b.lines, "Budget line", "Mata anggaran", true);
  }

  // Evaluations.
  if (!r.evaluations.empty()) {
    pg.h(2, std::to_string(number++) + pg.t(". Evaluation results", ". Hasil evaluasi"));
    for (const auto& e : r.evaluations) {
      pg.h(3, e.title);
      if (!e.note.empty()) o += "<p class=\"note\">" + esc(e.note) + "</p>";
      std::vector<std::vector<std::string>> rows;
      for (const auto& row : e.rows)
        rows.push_back({row.variable, format_optional(row.before, l, 2), format_optional(row.after, l, 2),
                        format_optional(row.change, l, 2),
                        row.ci_low && row.ci_high
                            ? format_number(*row.ci_low, l, 2) + " … " + format_number(*row.ci_high, l, 2)
                            : "–",
                        row.p_value ? format_number(*row.p_value, l, 3) : "–", format_optional(row.did, l, 2),
                        format_int(row.n_before, l) + " / " + format_int(row.n_after, l)});
      if (!rows.empty())
        pg.table({pg.t("Outcome", "Hasil"), pg.t("Before", "Sebelum"), pg.t("After", "Sesudah"),
                  pg.t("Change", "Perubahan"), pg.t("95% CI", "IK 95%"), "p", "DiD", "n"},
                 {false, true, true, true, true, true, true, true}, rows);
      for (const auto& row : e.rows)
        if (!row.sentence.empty()) o += paragraphs(row.sentence);
      std::vector<std::vector<std::string>> criteria;
      for (const auto& cr : e.criteria)
        criteria.push_back({criterion_label(cr.criterion, l), cr.rating_label,
                            cr.evidence + (cr.narrative.empty() ? "" : "\n" + cr.narrative)});
      if (!criteria.empty())
        pg.table({pg.t("OECD-DAC criterion", "Kriteria OECD-DAC"), pg.t("Rating", "Penilaian"),
                  pg.t("Evidence and assessment", "Bukti dan penilaian")},
                 {false, false, false}, criteria);
      if (!e.lessons.empty()) {
        pg.h(3, pg.t("Lessons learned", "Pembelajaran"));
        o += paragraphs(e.lessons);
      }
    }
  }

  // Narrative.
  const Narrative& n = r.narrative;
  if (!(n.achievements.empty() && n.challenges.empty() && n.lessons.empty() && n.next_steps.empty())) {
    pg.h(2, std::to_string(number++) + pg.t(". Narrative", ". Uraian"));
    auto section = [&](const std::string& text, const char* en, const char* id) {
      if (text.empty()) return;
      pg.h(3, pg.t(en, id));
      o += paragraphs(text);
    };
    section(n.achievements, "Achievements", "Capaian");
    section(n.challenges, "Challenges", "Tantangan");
    section(n.lessons, "Lessons learned", "Pembelajaran");
    section(n.next_steps, "Next steps", "Langkah selanjutnya");
  }
  o += "</body></html>\n";
  return o;
}

}  // namespace gotong::reports
