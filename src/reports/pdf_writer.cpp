// The program progress report as an A4 PDF: the content, section by section, on the canvas.
#include <algorithm>
#include <cmath>
#include <map>

#include "reports/format.hpp"
#include "reports/pdf_canvas.hpp"
#include "reports/pdf_charts.hpp"
#include "reports/writers.hpp"

namespace gotong::reports {

namespace {

using pdf::Align;
using pdf::Canvas;
using pdf::Cell;
using pdf::Column;
using pdf::Font;
using pdf::Rgb;
using pdf::Table;

constexpr Rgb kActualColor{0.08, 0.36, 0.47};
constexpr Rgb kTargetColor{0.45, 0.50, 0.56};
constexpr Rgb kPlannedColor{0.62, 0.70, 0.76};
constexpr Rgb kSpentColor{0.85, 0.50, 0.16};

std::optional<Rgb> status_fill(const std::string& s) {
  if (s == "on_track") return Rgb{0.85, 0.94, 0.86};
  if (s == "ahead") return Rgb{0.85, 0.91, 0.98};
  if (s == "behind") return Rgb{0.99, 0.87, 0.85};
  if (s == "no_data") return Rgb{0.93, 0.93, 0.93};
  return std::nullopt;
}

std::string period_text(const ProgramReport& r) {
  return format_date(r.period.from, r.lang) + " – " + format_date(r.period.to, r.lang);
}

std::string percent_of(std::int64_t part, std::int64_t whole, Lang l) {
  if (whole <= 0) return "–";
  return format_percent(static_cast<double>(part) / static_cast<double>(whole), l);
}

std::vector<const Indicator*> all_indicators(const ProgramReport& r) {
  std::vector<const Indicator*> out;
  for (const auto& n : r.results)
    for (const auto& i : n.indicators) out.push_back(&i);
  return out;
}

std::string indicator_name(const Indicator& i) { return i.code.empty() ? i.title : i.code + "  " + i.title; }

// -- title and summary ----------------------------------------------------------------------

void title_block(Canvas& c, const ProgramReport& r) {
  const Lang l = r.lang;
  c.label(r.organisation.name, Font{9, true}, c.left(), c.y(), Align::left, pdf::kMuted);
  c.space(16);
  c.label(tr(l, "PROGRAM PROGRESS REPORT", "LAPORAN KEMAJUAN PROGRAM"), Font{9, true}, c.left(), c.y(),
          Align::left, pdf::kAccent);
  c.space(14);
  auto name = c.layout(r.program_name, Font{20, true}, c.width());
  c.draw(name.get(), c.left(), c.y());
  c.space(Canvas::height_of(name.get()) + 4);
  c.label(tr(l, "Reporting period: ", "Periode laporan: ") + period_text(r), Font{10.5}, c.left(), c.y());
  c.space(22);

  Table t;
  t.font_size = 8;
  t.columns = {{tr(l, "Program", "Program"), 1.1}, {"", 3}};
  auto row = [&](const char* en, const char* id, std::string v) {
    if (!v.empty()) t.rows.push_back({Cell{tr(l, en, id), std::nullopt, true}, Cell{std::move(v)}});
  };
  row("Program period", "Masa program",
      format_date(r.program_start, l) + " – " + format_date(r.program_end, l));
  row("Status", "Status", program_status_label(r.status, l));
  std::string areas;
  for (const auto& a : r.areas) areas += (areas.empty() ? "" : ", ") + a;
  row("Areas", "Wilayah", areas);
  std::map<std::string, std::string> by_role;
  for (const auto& [name_, role] : r.stakeholders) {
    auto& s = by_role[stakeholder_role_label(role, l)];
    s += (s.empty() ? "" : ", ") + name_;
  }
  for (const auto& [role, names] : by_role) t.rows.push_back({Cell{role, std::nullopt, true}, Cell{names}});
  row("Currency", "Mata uang", r.currency);
  row("Prepared on", "Disusun pada", format_date(r.generated_on, l));
  t.columns[0].title = tr(l, "About the program", "Tentang program");
  t.columns[1].title = "";
  c.table(t);
  if (!r.description.empty()) c.paragraph(r.description, Font{9}, pdf::kInk);
}

void tile(Canvas& c, double x, double w, const std::string& figure, const std::string& caption) {
  cairo_t* cr = c.cr();
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0.93, 0.96, 0.97);
  cairo_rectangle(cr, x, c.y(), w, 54);
  cairo_fill(cr);
  Canvas::set_color(cr, pdf::kAccent);
  cairo_rectangle(cr, x, c.y(), 3, 54);
  cairo_fill(cr);
  cairo_restore(cr);
  auto f = c.layout(figure, Font{15, true}, w - 14);
  c.draw(f.get(), x + 10, c.y() + 7, pdf::kAccent);
  auto cap = c.layout(caption, Font{7}, w - 14);
  c.draw(cap.get(), x + 10, c.y() + 30, pdf::kMuted);
}

void summary(Canvas& c, const ProgramReport& r) {
  const Lang l = r.lang;
  c.heading(tr(l, "1. Summary", "1. Ringkasan"), 1, 80);
  const auto inds = all_indicators(r);
  int with_target = 0, good = 0;
  for (const auto* i : inds)
    if (!i->status.empty()) {
      ++with_target;
      if (i->status == "on_track" || i->status == "ahead") ++good;
    }
  int done = 0;
  for (const auto& a : r.activities)
    if (a.status == "done") ++done;
  const double gap = 8, w = (c.width() - 3 * gap) / 4;
  c.ensure(62);
  double x = c.left();
  tile(c, x, w, std::to_string(good) + " / " + std::to_string(with_target),
       tr(l, "indicators on track or ahead", "indikator sesuai atau melampaui target"));
  x += w + gap;
  tile(c, x, w, std::to_string(done) + " / " + std::to_string(r.activities.size()),
       tr(l, "activities done", "kegiatan selesai"));
  x += w + gap;
  tile(c, x, w, format_int(r.reach.unique_people, l),
       tr(l, "people reached in the period", "orang terjangkau dalam periode"));
  x += w + gap;
  tile(c, x, w,
       r.budget.present ? percent_of(r.budget.actual_to_date, r.budget.planned_to_date, l) : std::string("–"),
       tr(l, "of the budget planned to date spent", "anggaran s.d. periode ini terserap"));
  c.space(64);

  std::string facts;
  facts += tr(l, "In this period ", "Dalam periode ini ") + format_int(r.reach.sessions, l) +
           tr(l, " sessions were held, reaching ", " sesi dilaksanakan, menjangkau ") +
           format_int(r.reach.unique_people, l) + tr(l, " people (", " orang (") +
           format_int(r.reach.female, l) + tr(l, " women, ", " perempuan, ") + format_int(r.reach.male, l) +
           tr(l, " men).", " laki-laki).");
  if (r.budget.present)
    facts += std::string(tr(l, " Spending in the period was ", " Realisasi anggaran dalam periode ")) +
             format_money(r.budget.actual_in_period, r.budget.currency, l) +
             tr(l, " against ", " dari rencana ") +
             format_money(r.budget.planned_in_period, r.budget.currency, l) + tr(l, " planned.", ".");
  c.paragraph(facts, Font{9});
  if (!r.narrative.summary.empty()) {
    c.space(6);
    c.paragraph(r.narrative.summary, Font{9});
  }
}

// -- results framework ----------------------------------------------------------------------

void results(Canvas& c, const ProgramReport& r) {
  const Lang l = r.lang;
  c.heading(tr(l, "2. Results framework and indicators", "2. Kerangka hasil dan indikator"), 1);
  if (r.results.empty()) {
    c.paragraph(tr(l, "The program has no results framework yet.", "Program belum memiliki kerangka hasil."),
                Font{9, false, true}, pdf::kMuted);
    return;
  }
  Table t;
  t.columns = {{tr(l, "Indicator", "Indikator"), 3.6},
               {tr(l, "Baseline", "Baseline"), 1.1, Align::right},
               {tr(l, "Target", "Target"), 1.3, Align::right},
               {tr(l, "Actual", "Capaian"), 1.3, Align::right},
               {tr(l, "Status", "Status"), 1.2, Align::center}};
  for (const auto& n : r.results) {
    std::string indent(static_cast<std::size_t>(n.tier) * 3, ' ');
    t.rows.push_back({Cell{indent + n.tier_name + ": " + (n.code.empty() ? "" : n.code + " ") + n.title}});
    for (const auto& i : n.indicators) {
      std::string name = indicator_name(i);
      if (!i.unit_label.empty() && i.measure != "percentage") name += " (" + i.unit_label + ")";
      std::string target = format_measure(i.target, i.measure, l);
      if (i.target && !i.target_period.empty()) target += "\n" + format_period(i.target_period, l);
      std::string actual = i.measure == "qualitative"
                               ? (i.actual_narrative.empty() ? "–" : i.actual_narrative)
                               : format_measure(i.actual, i.measure, l);
      if (!i.actual_period.empty()) actual += "\n" + format_period(i.actual_period, l);
      std::string baseline = i.measure == "qualitative"
                                 ? (i.baseline_narrative.empty() ? "–" : i.baseline_narrative)
                                 : format_measure(i.baseline, i.measure, l);
      t.rows.push_back({Cell{name}, Cell{baseline}, Cell{target}, Cell{actual},
                        Cell{status_label(i.status, l), status_fill(i.status)}});
    }
  }
  c.table(t);
  c.paragraph(
      tr(l,
         "Actual: the latest reporting period within the report's period that has data. Status compares it "
         "with that period's target (or the life-of-program target) within the indicator's margin.",
         "Capaian: periode pelaporan terakhir dalam periode laporan yang memiliki data. Status "
         "membandingkannya "
         "dengan target periode itu (atau target seluruh masa program) dalam batas toleransi indikator."),
      Font{7, false, true}, pdf::kMuted);

  // Disaggregation.
  Table d;
  d.columns = {{tr(l, "Dimension", "Dimensi"), 1.6},
               {tr(l, "Category", "Kategori"), 2.2},
               {tr(l, "Value", "Nilai"), 1.2, Align::right},
               {tr(l, "n", "n"), 0.8, Align::right}};
  for (const auto* i : all_indicators(r)) {
    if (i->disaggregation.empty()) continue;
    d.rows.push_back({Cell{indicator_name(*i) + " — " + format_period(i->actual_period, l)}});
    for (const auto& dim : i->disaggregation)
      for (const auto& v : dim.values)
        d.rows.push_back({Cell{dimension_label(dim.dimension, l)}, Cell{category_label(dim, v.key, l)},
                          Cell{format_measure(v.value, i->measure, l)},
                          Cell{v.units ? format_int(*v.units, l) : std::string("–")}});
  }
  if (!d.rows.empty()) {
    c.heading(tr(l, "Disaggregation", "Disagregasi"), 2, c.start_height(d));
    c.table(d);
  }
}

bool indicator_charts(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  std::vector<const Indicator*> charted;
  for (const auto* i : all_indicators(r))
    if (i->measure != "qualitative" && !i->points.empty()) charted.push_back(i);
  if (charted.empty()) return false;
  c.heading(std::to_string(number) + tr(l, ". Indicators over time", ". Perkembangan indikator"), 1, 180);
  for (const auto* i : charted) {
    pdf::BarChart ch;
    ch.title = indicator_name(*i);
    ch.percent = i->measure == "percentage";
    ch.height = 95;
    pdf::Series target{tr(l, "Target", "Target"), kTargetColor, true, {}};
    pdf::Series actual{tr(l, "Actual", "Capaian"), kActualColor, false, {}};
    for (const auto& p : i->points) {
      ch.categories.push_back(p.period.size() == 7 && p.period[5] != 'Q' ? format_month_short(p.period, l)
                                                                         : format_period(p.period, l));
      target.values.push_back(p.target);
      actual.values.push_back(p.actual);
    }
    ch.series = {target, actual};
    if (i->baseline) {
      ch.reference = i->baseline;
      ch.reference_name = tr(l, "Baseline", "Baseline");
    }
    pdf::draw_bar_chart(c, ch, l);
    c.space(6);
  }
  return true;
}

// -- activities and reach -------------------------------------------------------------------

void activities(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  c.heading(std::to_string(number) + tr(l, ". Activities", ". Kegiatan"), 1);
  if (r.activities.empty()) {
    c.paragraph(tr(l, "No activity was planned or carried out in this period.",
                   "Tidak ada kegiatan yang direncanakan atau dilaksanakan dalam periode ini."),
                Font{9, false, true}, pdf::kMuted);
    return;
  }
  Table t;
  t.columns = {{tr(l, "Activity", "Kegiatan"), 3.2},
               {tr(l, "Status", "Status"), 1.1},
               {tr(l, "Schedule", "Jadwal"), 2.2},
               {tr(l, "Sessions", "Sesi"), 0.8, Align::right},
               {tr(l, "People", "Orang"), 0.9, Align::right}};
  for (const auto& a : r.activities) {
    std::string name = a.code.empty() ? a.title : a.code + "  " + a.title;
    if (!a.responsible.empty()) name += "\n" + a.responsible;
    std::string when = format_date(a.planned_start, l) + " – " + format_date(a.planned_end, l);
    if (a.actual_start)
      when += "\n" + std::string(tr(l, "actual: ", "realisasi: ")) + format_date(*a.actual_start, l) +
              (a.actual_end ? " – " + format_date(*a.actual_end, l) : std::string());
    t.rows.push_back({Cell{name}, Cell{activity_status_label(a.status, l)}, Cell{when},
                      Cell{format_int(a.sessions, l)}, Cell{format_int(a.unique_people, l)}});
  }
  c.table(t);
}

void reach(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  const Reach& x = r.reach;
  c.heading(std::to_string(number) + tr(l, ". People reached", ". Penerima manfaat terjangkau"), 1);
  c.paragraph(format_int(x.sessions, l) + tr(l, " sessions held, ", " sesi terlaksana, ") +
                  format_int(x.attendances, l) + tr(l, " attendances, ", " kehadiran, ") +
                  format_int(x.unique_people, l) + tr(l, " different people.", " orang berbeda."),
              Font{9});
  c.space(4);
  Table t;
  t.columns = {{tr(l, "Age band", "Kelompok umur"), 2},
               {tr(l, "Women", "Perempuan"), 1, Align::right},
               {tr(l, "Men", "Laki-laki"), 1, Align::right},
               {tr(l, "Total", "Jumlah"), 1, Align::right}};
  for (std::size_t b = 0; b < kAgeBands.size(); ++b)
    t.rows.push_back({Cell{age_band_label(kAgeBands[b], l)}, Cell{format_int(x.sex_by_age_band[0][b], l)},
                      Cell{format_int(x.sex_by_age_band[1][b], l)}, Cell{format_int(x.age_bands[b], l)}});
  t.rows.push_back({Cell{tr(l, "Total", "Jumlah"), std::nullopt, true},
                    Cell{format_int(x.female, l), std::nullopt, true},
                    Cell{format_int(x.male, l), std::nullopt, true},
                    Cell{format_int(x.unique_people, l), std::nullopt, true}});
  c.table(t);
  c.paragraph(tr(l, "People with a disability (Washington Group short set): ",
                 "Penyandang disabilitas (Washington Group short set): ") +
                  format_int(x.with_disability, l) + tr(l, "; without: ", "; tanpa disabilitas: ") +
                  format_int(x.without_disability, l) + tr(l, "; not asked: ", "; tidak ditanyakan: ") +
                  format_int(x.disability_unknown, l) + ".",
              Font{8.5});
}

// -- budget ---------------------------------------------------------------------------------

void budget(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  const Budget& b = r.budget;
  c.heading(std::to_string(number) + tr(l, ". Budget", ". Anggaran"), 1);
  if (!b.present) {
    c.paragraph(tr(l, "The program has no budget yet.", "Program belum memiliki anggaran."),
                Font{9, false, true}, pdf::kMuted);
    return;
  }
  auto money = [&](std::int64_t v) { return format_money(v, b.currency, l); };
  Table t;
  t.columns = {{"", 2.4},
               {tr(l, "In the period", "Dalam periode"), 1.3, Align::right},
               {tr(l, "Up to the period's end", "S.d. akhir periode"), 1.3, Align::right}};
  t.rows.push_back(
      {Cell{tr(l, "Planned", "Rencana")}, Cell{money(b.planned_in_period)}, Cell{money(b.planned_to_date)}});
  t.rows.push_back(
      {Cell{tr(l, "Spent", "Realisasi")}, Cell{money(b.actual_in_period)}, Cell{money(b.actual_to_date)}});
  t.rows.push_back({Cell{tr(l, "Spent as share of planned", "Persentase realisasi")},
                    Cell{percent_of(b.actual_in_period, b.planned_in_period, l)},
                    Cell{percent_of(b.actual_to_date, b.planned_to_date, l)}});
  t.rows.push_back({Cell{tr(l, "People reached", "Orang terjangkau")},
                    Cell{format_int(b.people_in_period, l)}, Cell{format_int(b.people_to_date, l)}});
  t.rows.push_back(
      {Cell{tr(l, "Cost per person reached", "Biaya per orang terjangkau"), std::nullopt, true},
       Cell{b.cost_per_person_in_period ? money(*b.cost_per_person_in_period) : "–", std::nullopt, true},
       Cell{b.cost_per_person_to_date ? money(*b.cost_per_person_to_date) : "–", std::nullopt, true}});
  c.table(t);
  c.paragraph(tr(l, "Whole program budget: ", "Anggaran seluruh program: ") + money(b.planned_total) + ".",
              Font{8.5});
  c.space(4);

  if (!b.months.empty()) {
    pdf::BarChart ch;
    ch.title = tr(l, "Planned and spent per month", "Rencana dan realisasi per bulan");
    ch.money = true;
    ch.height = 120;
    pdf::Series planned{tr(l, "Planned", "Rencana"), kPlannedColor, false, {}};
    pdf::Series spent{tr(l, "Spent", "Realisasi"), kSpentColor, false, {}};
    const double scale = std::pow(10.0, minor_digits(b.currency));
    for (const auto& m : b.months) {
      ch.categories.push_back(format_month_short(m.period, l));
      planned.values.push_back(static_cast<double>(m.planned) / scale);
      spent.values.push_back(static_cast<double>(m.actual) / scale);
    }
    ch.series = {planned, spent};
    pdf::draw_bar_chart(c, ch, l);
  }

  auto rows_table = [&](const std::vector<BudgetRow>& rows, const char* en, const char* id, bool with_code,
                        const char* heading_en, const char* heading_id) {
    Table x;
    x.columns = {{tr(l, en, id), 2.1},
                 {tr(l, "Planned in period", "Rencana periode"), 1.5, Align::right},
                 {tr(l, "Spent in period", "Realisasi periode"), 1.5, Align::right},
                 {tr(l, "Whole plan", "Total rencana"), 1.5, Align::right},
                 {tr(l, "Spent to date", "Realisasi s.d."), 1.5, Align::right},
                 {"%", 0.6, Align::right}};
    BudgetRow total;
    for (const auto& row : rows) {
      x.rows.push_back({Cell{!with_code || row.code.empty() ? row.name : row.code + "  " + row.name},
                        Cell{money(row.planned_in_period)}, Cell{money(row.actual_in_period)},
                        Cell{money(row.planned)}, Cell{money(row.actual)},
                        Cell{percent_of(row.actual, row.planned, l)}});
      total.planned += row.planned;
      total.actual += row.actual;
      total.planned_in_period += row.planned_in_period;
      total.actual_in_period += row.actual_in_period;
    }
    auto bold = [](std::string t) { return Cell{std::move(t), std::nullopt, true}; };
    x.rows.push_back({bold(tr(l, "Total", "Jumlah")), bold(money(total.planned_in_period)),
                      bold(money(total.actual_in_period)), bold(money(total.planned)),
                      bold(money(total.actual)), bold(percent_of(total.actual, total.planned, l))});
    x.font_size = 7.5;
    c.heading(tr(l, heading_en, heading_id), 2, c.start_height(x));
    c.table(x);
  };
  rows_table(b.categories, "Category", "Kategori", false, "By category", "Per kategori");
  rows_table(b.lines, "Budget line", "Mata anggaran", true, "By budget line", "Per mata anggaran");
}

// -- evaluations and narrative --------------------------------------------------------------

void evaluations(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  c.heading(std::to_string(number) + tr(l, ". Evaluation results", ". Hasil evaluasi"), 1);
  for (const auto& e : r.evaluations) {
    c.heading(e.title, 2);
    if (!e.note.empty()) c.paragraph(e.note, Font{8.5, false, true}, pdf::kMuted);
    if (!e.rows.empty()) {
      Table t;
      t.font_size = 7.5;
      t.columns = {{tr(l, "Outcome", "Hasil"), 2.4},
                   {tr(l, "Before", "Sebelum"), 0.9, Align::right},
                   {tr(l, "After", "Sesudah"), 0.9, Align::right},
                   {tr(l, "Change", "Perubahan"), 1.1, Align::right},
                   {tr(l, "95% CI", "IK 95%"), 1.4, Align::right},
                   {"p", 0.7, Align::right},
                   {"DiD", 0.8, Align::right},
                   {"n", 1, Align::right}};
      for (const auto& row : e.rows) {
        std::string ci = row.ci_low && row.ci_high
                             ? format_number(*row.ci_low, l, 2) + " … " + format_number(*row.ci_high, l, 2)
                             : "–";
        std::string p = row.p_value ? (*row.p_value < 0.001 ? std::string("< ") + format_number(0.001, l, 3)
                                                            : format_number(*row.p_value, l, 3))
                                    : "–";
        t.rows.push_back({Cell{row.variable}, Cell{format_optional(row.before, l, 2)},
                          Cell{format_optional(row.after, l, 2)}, Cell{format_optional(row.change, l, 2)},
                          Cell{ci}, Cell{p}, Cell{format_optional(row.did, l, 2)},
                          Cell{format_int(row.n_before, l) + " / " + format_int(row.n_after, l)}});
      }
      c.table(t);
      for (const auto& row : e.rows)
        if (!row.sentence.empty()) c.paragraph("• " + row.sentence, Font{8.5}, pdf::kInk, 6);
      c.space(4);
    }
    if (!e.criteria.empty()) {
      Table t;
      t.columns = {{tr(l, "OECD-DAC criterion", "Kriteria OECD-DAC"), 1.4},
                   {tr(l, "Rating", "Penilaian"), 1.1},
                   {tr(l, "Evidence", "Bukti"), 4}};
      for (const auto& cr : e.criteria)
        t.rows.push_back(
            {Cell{criterion_label(cr.criterion, l)},
             Cell{cr.rating_label.empty() && cr.rating ? std::to_string(*cr.rating) : cr.rating_label},
             Cell{cr.evidence}});
      c.table(t);
      // Assessments may run long: as paragraphs, which continue on the next page.
      for (const auto& cr : e.criteria)
        if (!cr.narrative.empty()) {
          c.paragraph(criterion_label(cr.criterion, l), Font{8.5, true});
          c.paragraph(cr.narrative, Font{8.5});
          c.space(3);
        }
    }
    if (!e.lessons.empty()) {
      c.heading(tr(l, "Lessons learned", "Pembelajaran"), 2, 30);
      c.paragraph(e.lessons, Font{9});
    }
  }
}

void narrative(Canvas& c, const ProgramReport& r, int number) {
  const Lang l = r.lang;
  const Narrative& n = r.narrative;
  if (n.achievements.empty() && n.challenges.empty() && n.lessons.empty() && n.next_steps.empty()) return;
  c.heading(std::to_string(number) + tr(l, ". Narrative", ". Uraian"), 1);
  auto section = [&](const std::string& text, const char* en, const char* id) {
    if (text.empty()) return;
    c.heading(tr(l, en, id), 2, 30);
    c.paragraph(text, Font{9});
  };
  section(n.achievements, "Achievements", "Capaian");
  section(n.challenges, "Challenges", "Tantangan");
  section(n.lessons, "Lessons learned", "Pembelajaran");
  section(n.next_steps, "Next steps", "Langkah selanjutnya");
}

void draw_report(Canvas& c, const void* data) {
  const auto& r = *static_cast<const ProgramReport*>(data);
  c.new_page();
  title_block(c, r);
  summary(c, r);
  results(c, r);
  int number = 3;
  if (indicator_charts(c, r, number)) ++number;
  activities(c, r, number++);
  reach(c, r, number++);
  budget(c, r, number++);
  if (!r.evaluations.empty()) evaluations(c, r, number++);
  narrative(c, r, number++);
}

}  // namespace

std::string render_pdf(const ProgramReport& r) {
  const Lang l = r.lang;
  pdf::Decor decor{r.program_name, period_text(r), r.organisation.name, tr(l, "Page", "Halaman"),
                   tr(l, "of", "dari")};
  const std::string title = tr(l, "Program progress report: ", "Laporan kemajuan program: ") +
                            r.program_name + " (" + period_text(r) + ")";
  return pdf::render(decor, title, r.organisation.name, draw_report, &r);
}

}  // namespace gotong::reports
