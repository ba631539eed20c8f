// The program progress report as a workbook: numbers as numbers (money in whole currency units
// with the currency's decimals), so a donor's officer can total and chart them in Excel.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/error.hpp"
#include "reports/format.hpp"
#include "reports/writers.hpp"

namespace gotong::reports {

namespace {

class Book {
 public:
  explicit Book(const std::string& path) {
    lxw_workbook_options options{};
    tmpdir_ = std::filesystem::temp_directory_path().string();
    options.tmpdir = tmpdir_.data();
    wb_ = workbook_new_opt(path.c_str(), &options);
    if (wb_ == nullptr) throw Error(ErrorCode::internal, "report: the workbook could not be created");
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    head_ = workbook_add_format(wb_);
    format_set_bold(head_);
    format_set_font_color(head_, LXW_COLOR_WHITE);
    format_set_bg_color(head_, 0x145C78);
    format_set_text_wrap(head_);
    format_set_align(head_, LXW_ALIGN_VERTICAL_TOP);
    title_ = workbook_add_format(wb_);
    format_set_bold(title_);
    format_set_font_size(title_, 14);
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    number_ = workbook_add_format(wb_);
    format_set_num_format(number_, "#,##0.####");
    integer_ = workbook_add_format(wb_);
    format_set_num_format(integer_, "#,##0");
    percent_ = workbook_add_format(wb_);
    format_set_num_format(percent_, "0.0%");
  }
  ~Book() {
    if (wb_ != nullptr) lxw_workbook_free(wb_);
  }
  void close() {
    lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    if (e != LXW_NO_ERROR)
      throw Error(ErrorCode::internal,
                  std::string("report: the workbook could not be written: ") + lxw_strerror(e));
  }
  lxw_worksheet* sheet(const char* name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name);
    if (ws == nullptr) throw Error(ErrorCode::internal, "report: a sheet could not be added");
    return ws;
  }
  void set_money_format(int digits) {
    money_ = workbook_add_format(wb_);
    format_set_num_format(money_, digits == 0 ? "#,##0" : digits == 3 ? "#,##0.000" : "#,##0.00");
  }
  // libxlsxwriter's struct wants mutable strings; it copies them.
  void properties(std::string title, std::string author) {
    lxw_doc_properties p{};
    p.title = title.data();
    p.author = author.data();
    p.company = author.data();
    workbook_set_properties(wb_, &p);
  }

  lxw_workbook* wb_ = nullptr;
  lxw_format *bold_, *head_, *title_, *wrap_, *number_, *integer_, *percent_, *money_ = nullptr;

 private:
  std::string tmpdir_;
};

// Writes rows of a sheet one cell after the other.
class Rows {
 public:
  Rows(Book& b, lxw_worksheet* ws) : b_(b), ws_(ws) {}
  void header(const std::vector<std::string>& titles) {
    for (std::size_t i = 0; i < titles.size(); ++i) text(titles[i], b_.head_);
    worksheet_freeze_panes(ws_, row_ + 1, 0);
    next();
  }
  Rows& text(const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(ws_, row_, col_++, s.c_str(), f);
    return *this;
  }
  Rows& number(const std::optional<double>& v, lxw_format* f = nullptr) {
    if (v && std::isfinite(*v)) worksheet_write_number(ws_, row_, col_, *v, f ? f : b_.number_);
    ++col_;
    return *this;
  }
  Rows& integer(std::int64_t v) {
    worksheet_write_number(ws_, row_, col_++, static_cast<double>(v), b_.integer_);
    return *this;
  }
  Rows& money(std::int64_t minor, int digits) {
    worksheet_write_number(ws_, row_, col_++, static_cast<double>(minor) / std::pow(10.0, digits), b_.money_);
    return *this;
  }
  Rows& share(std::int64_t part, std::int64_t whole) {
    if (whole > 0)
      worksheet_write_number(ws_, row_, col_, static_cast<double>(part) / static_cast<double>(whole),
                             b_.percent_);
    ++col_;
    return *this;
  }
  void next() {
    ++row_;
    col_ = 0;
  }
  void widths(const std::vector<double>& w) {
    for (std::size_t i = 0; i < w.size(); ++i)
      worksheet_set_column(ws_, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), w[i], nullptr);
  }

 private:
  Book& b_;
  lxw_worksheet* ws_;
  lxw_row_t row_ = 0;
  lxw_col_t col_ = 0;
};

void summary_sheet(Book& b, const ProgramReport& r) {
  const Lang l = r.lang;
  Rows s(b, b.sheet(tr(l, "Summary", "Ringkasan")));
  s.widths({34, 60});
  s.text(tr(l, "Program progress report", "Laporan kemajuan program"), b.title_);
  s.next();
  s.next();
  auto pair = [&](const char* en, const char* id, const std::string& v) {
    s.text(tr(l, en, id), b.bold_).text(v, b.wrap_);
    s.next();
  };
  pair("Organisation", "Organisasi", r.organisation.name);
  pair("Program", "Program", r.program_name);
  pair("Reporting period from", "Periode laporan dari", r.period.from);
  pair("Reporting period to", "Periode laporan sampai", r.period.to);
  pair("Program period", "Masa program", r.program_start + " – " + r.program_end);
  pair("Status", "Status", program_status_label(r.status, l));
  std::string areas;
  for (const auto& a : r.areas) areas += (areas.empty() ? "" : ", ") + a;
  pair("Areas", "Wilayah", areas);
  for (const auto& [name, role] : r.stakeholders)
    pair(stakeholder_role_label(role, l).c_str(), stakeholder_role_label(role, l).c_str(), name);
  pair("Currency", "Mata uang", r.currency);
  pair("Prepared on", "Disusun pada", r.generated_on);
  s.next();
  auto figure = [&](const char* en, const char* id, std::int64_t v) {
    s.text(tr(l, en, id), b.bold_).integer(v);
    s.next();
  };
  figure("Sessions held", "Sesi terlaksana", r.reach.sessions);
  figure("Attendances", "Kehadiran", r.reach.attendances);
  figure("People reached", "Orang terjangkau", r.reach.unique_people);
  figure("Women reached", "Perempuan terjangkau", r.reach.female);
  figure("Men reached", "Laki-laki terjangkau", r.reach.male);
  figure("People with a disability", "Penyandang disabilitas", r.reach.with_disability);
  for (std::size_t i = 0; i < kAgeBands.size(); ++i) {
    s.text(age_band_label(kAgeBands[i], l), b.bold_).integer(r.reach.age_bands[i]);
    s.next();
  }
  s.next();
  const Narrative& n = r.narrative;
  pair("Summary", "Ringkasan", n.summary);
  pair("Achievements", "Capaian", n.achievements);
  pair("Challenges", "Tantangan", n.challenges);
  pair("Lessons learned", "Pembelajaran", n.lessons);
  pair("Next steps", "Langkah selanjutnya", n.next_steps);
}

void indicators_sheet(Book& b, const ProgramReport& r) {
  const Lang l = r.lang;
  Rows s(b, b.sheet(tr(l, "Indicators", "Indikator")));
  s.widths({14, 30, 10, 40, 12, 12, 10, 12, 10, 12, 12, 14, 12, 14});
  s.header({tr(l, "Level", "Tingkat"), tr(l, "Result", "Hasil"), tr(l, "Code", "Kode"),
            tr(l, "Indicator", "Indikator"), tr(l, "Measure", "Ukuran"), tr(l, "Unit", "Satuan"),
            tr(l, "Baseline", "Baseline"), tr(l, "Baseline date", "Tanggal baseline"),
            tr(l, "Target", "Target"), tr(l, "Target period", "Periode target"), tr(l, "Actual", "Capaian"),
            tr(l, "Actual period", "Periode capaian"), tr(l, "Status", "Status"),
            tr(l, "Life-of-program target", "Target seluruh program")});
  for (const auto& node : r.results)
    for (const auto& i : node.indicators) {
      s.text(node.tier_name)
          .text(node.code.empty() ? node.title : node.code + " " + node.title)
          .text(i.code)
          .text(i.title);
      s.text(i.measure).text(i.unit_label);
      if (i.measure == "qualitative")
        s.text(i.baseline_narrative);
      else
        s.number(i.baseline);
      s.text(i.baseline_date).number(i.target).text(i.target_period);
      if (i.measure == "qualitative")
        s.text(i.actual_narrative);
      else
        s.number(i.actual);
      s.text(i.actual_period).text(status_label(i.status, l)).number(i.life_target);
      s.next();
    }
  // The periods, for charts of one's own.
  s.next();
  s.header({tr(l, "Code", "Kode"), tr(l, "Indicator", "Indikator"), tr(l, "Period", "Periode"),
            tr(l, "Start", "Mulai"), tr(l, "End", "Selesai"), tr(l, "Target", "Target"),
            tr(l, "Actual", "Capaian"), tr(l, "Status", "Status")});
  for (const auto& node : r.results)
    for (const auto& i : node.indicators)
      for (const auto& p : i.points) {
        s.text(i.code).text(i.title).text(p.period).text(p.start).text(p.end).number(p.target).number(
            p.actual);
        s.text(status_label(p.status, l));
        s.next();
      }
}

void disaggregation_sheet(Book& b, const ProgramReport& r) {
  const Lang l = r.lang;
  Rows s(b, b.sheet(tr(l, "Disaggregation", "Disagregasi")));
  s.widths({10, 40, 14, 18, 24, 12, 10, 20});
  s.header({tr(l, "Code", "Kode"), tr(l, "Indicator", "Indikator"), tr(l, "Period", "Periode"),
            tr(l, "Dimension", "Dimensi"), tr(l, "Category", "Kategori"), tr(l, "Value", "Nilai"), "n",
            tr(l, "Key", "Kunci")});
  for (const auto& node : r.results)
    for (const auto& i : node.indicators)
      for (const auto& d : i.disaggregation)
        for (const auto& v : d.values) {
          s.text(i.code).text(i.title).text(i.actual_period).text(dimension_label(d.dimension, l));
          s.text(category_label(d, v.key, l)).number(v.value);
          if (v.units) {
            s.integer(*v.units);
          } else {
            s.text("");
          }
          s.text(v.key);
          s.next();
        }
}

void activities_sheet(Book& b, const ProgramReport& r) {
  const Lang l = r.lang;
  Rows s(b, b.sheet(tr(l, "Activities", "Kegiatan")));
  s.widths({10, 40, 14, 12, 12, 12, 12, 26, 20, 10, 12, 12});
  s.header({tr(l, "Code", "Kode"), tr(l, "Activity", "Kegiatan"), tr(l, "Status", "Status"),
            tr(l, "Planned start", "Rencana mulai"), tr(l, "Planned end", "Rencana selesai"),
            tr(l, "Actual start", "Realisasi mulai"), tr(l, "Actual end", "Realisasi selesai"),
            tr(l, "Responsible", "Penanggung jawab"), tr(l, "Area", "Wilayah"), tr(l, "Sessions", "Sesi"),
            tr(l, "Attendances", "Kehadiran"), tr(l, "People reached", "Orang terjangkau")});
  for (const auto& a : r.activities) {
    s.text(a.code)
        .text(a.title)
        .text(activity_status_label(a.status, l))
        .text(a.planned_start)
        .text(a.planned_end);
    s.text(a.actual_start.value_or("")).text(a.actual_end.value_or("")).text(a.responsible).text(a.area);
    s.integer(a.sessions).integer(a.attendances).integer(a.unique_people);
    s.next();
  }
}

void budget_sheet(Book& b, const ProgramReport& r) {
  const Lang l = r.lang;
  const Budget& x = r.budget;
  const int digits = minor_digits(x.currency);
  Rows s(b, b.sheet(tr(l, "Budget", "Anggaran")));
  s.widths({36, 18, 18, 18, 18, 10});
  s.text(tr(l, "Currency", "Mata uang"), b.bold_).text(x.currency);
  s.next();
  auto line = [&](const char* en, const char* id, std::int64_t v) {
    s.text(tr(l, en, id), b.bold_).money(v, digits);
    s.next();
  };
  line("Whole plan", "Total rencana", x.planned_total);
  line("Planned in the period", "Rencana dalam periode", x.planned_in_period);
  line("Spent in the period", "Realisasi dalam periode", x.actual_in_period);
  line("Planned up to the period's end", "Rencana s.d. akhir periode", x.planned_to_date);
  line("Spent up to the period's end", "Realisasi s.d. akhir periode", x.actual_to_date);
  s.text(tr(l, "People reached in the period", "Orang terjangkau dalam periode"), b.bold_)
      .integer(x.people_in_period);
  s.next();
  s.text(tr(l, "Cost per person reached (period)", "Biaya per orang terjangkau (periode)"), b.bold_);
  if (x.cost_per_person_in_period) s.money(*x.cost_per_person_in_period, digits);
  s.next();
  s.text(tr(l, "Cost per person reached (to date)", "Biaya per orang terjangkau (s.d. periode)"), b.bold_);
  if (x.cost_per_person_to_date) s.money(*x.cost_per_person_to_date, digits);
  s.next();
  s.next();
  auto rows = [&](const std::vector<BudgetRow>& list, const char* en, const char* id) {
    s.header({tr(l, en, id), tr(l, "Planned in period", "Rencana periode"),
              tr(l, "Spent in period", "Realisasi periode"), tr(l, "Whole plan", "Total rencana"),
              tr(l, "Spent to date", "Realisasi s.d."), "%"});
    for (const auto& row : list) {
      s.text(row.code.empty() || row.code == row.name ? row.name : row.code + " " + row.name);
      s.money(row.planned_in_period, digits).money(row.actual_in_period, digits).money(row.planned, digits);
      s.money(row.actual, digits).share(row.actual, row.planned);
      s.next();
    }
    s.next();
  };
  rows(x.categories, "Category", "Kategori");
  rows(x.lines, "Budget line", "Mata anggaran");
  s.header({tr(l, "Month", "Bulan"), tr(l, "Planned", "Rencana"), tr(l, "Spent", "Realisasi")});
  for (const auto& m : x.months) {
    s.text(m.period).money(m.planned, digits).money(m.actual, digits);
    s.next();
  }
}

}  // namespace

std::string render_xlsx(const ProgramReport& r) {
  std::string path = (std::filesystem::temp_directory_path() / "gotong-report-XXXXXX.xlsx").string();
  const int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) throw Error(ErrorCode::internal, "report: no temporary file for the workbook");
  ::close(fd);
  struct Remove {
    std::string path;
    ~Remove() { ::unlink(path.c_str()); }
  } remove{path};
  {
    Book b(path);
    b.set_money_format(minor_digits(r.budget.currency));
    b.properties(
        std::string(tr(r.lang, "Program progress report: ", "Laporan kemajuan program: ")) + r.program_name,
        r.organisation.name);
    summary_sheet(b, r);
    indicators_sheet(b, r);
    disaggregation_sheet(b, r);
    activities_sheet(b, r);
    budget_sheet(b, r);
    b.close();
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) throw Error(ErrorCode::internal, "report: the workbook is empty");
  return bytes;
}

}  // namespace gotong::reports
