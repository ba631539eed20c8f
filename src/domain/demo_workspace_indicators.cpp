// The demo program's indicators: six computed from the household survey (by sex of the head of
// household and by dusun), with their 2025 baselines read from the survey's own baseline round
// and targets set from them; one counted by hand with its approval history; and two computed
// from attendance. Each is made in its own write job, whose first step is the creation (a full
// computation locks the submissions on PostgreSQL before reading them), and is skipped when the
// program has an indicator of its code already, so an interrupted load is completed.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/demo_workspace_parts.hpp"
#include "domain/indicators.hpp"
#include "domain/indicators_entries.hpp"
#include "domain/problems.hpp"
#include "domain/programs.hpp"
#include "domain/results.hpp"

namespace gotong::domain::demo_workspace::detail {

namespace bj = boost::json;

namespace {

struct Change {
  double y2026, y2027;  // targets as the baseline plus these (percentage points or minutes)
};

struct SurveySpec {
  const char* code;
  const char* node;
  const char* title;
  const char* definition;
  const char* measure;  // percentage or unit
  const char* calculation;
  const char* filter;
  const char* denominator_filter;
  const char* value_field;
  const char* direction;
  const char* unit_label;
  Change change;
};

constexpr const char* kConsented = "${consent} = 'yes'";
const SurveySpec kSurvey[] = {
    {"IK-G.1",
     "G",
     "Persentase rumah tangga dengan balita yang diare dalam 2 minggu terakhir",
     "Rumah tangga yang melaporkan sedikitnya satu balita diare (3 kali atau lebih buang air cair sehari) "
     "dalam 2 "
     "minggu sebelum kunjungan, dibagi rumah tangga dengan balita yang bersedia diwawancarai. (Households "
     "reporting "
     "diarrhoea in a child under five in the last two weeks, among households with a child under five.)",
     "percentage",
     "percentage",
     "${diarrhoea} = 'yes'",
     "${consent} = 'yes' and ${n_under5} > 0",
     "",
     "decrease",
     "%",
     {-2, -4}},
    {"IK-O1.1",
     "O1",
     "Persentase rumah tangga dengan layanan air minum dasar",
     "Sumber air minum layak dengan waktu pengambilan 30 menit atau kurang pulang-pergi (tangga layanan JMP: "
     "basic). (Households with at least basic drinking water service, JMP ladder.)",
     "percentage",
     "percentage",
     "${water_ladder} = 'basic'",
     kConsented,
     "",
     "increase",
     "%",
     {20, 30}},
    {"IK-O1.2",
     "O1",
     "Persentase rumah tangga yang memakai air perpipaan atau sumber terlindung",
     "Sumber utama air minum: perpipaan (ke rumah, halaman atau keran umum), sumur bor, sumur atau mata air "
     "terlindung. (Households using piped water or a protected source.)",
     "percentage",
     "percentage",
     "${water_source} = 'piped_dwelling' or ${water_source} = 'piped_yard' or ${water_source} = 'public_tap' "
     "or "
     "${water_source} = 'borehole' or ${water_source} = 'protected_well' or ${water_source} = "
     "'protected_spring'",
     kConsented,
     "",
     "increase",
     "%",
     {20, 30}},
    {"IK-O1.3",
     "O1",
     "Rata-rata waktu mengambil air minum, pulang-pergi",
     "Rata-rata menit untuk pergi ke sumber, mengambil air dan kembali, bagi rumah tangga yang sumbernya "
     "tidak di "
     "rumah atau halaman. (Mean round-trip minutes to collect drinking water.)",
     "unit",
     "mean",
     kConsented,
     "",
     "water_time",
     "decrease",
     "menit",
     {-6, -10}},
    {"IK-O2.1",
     "O2",
     "Persentase rumah tangga yang memiliki jamban",
     "Rumah tangga yang memakai jamban jenis apa pun (tidak buang air besar sembarangan). (Households not "
     "practising open defecation.)",
     "percentage",
     "percentage",
     "${latrine} != 'none'",
     kConsented,
     "",
     "increase",
     "%",
     {10, 20}},
    {"IK-O3.1",
     "O3",
     "Persentase rumah tangga dengan sarana cuci tangan pakai sabun dan air",
     "Tempat cuci tangan yang diamati enumerator dengan air dan sabun tersedia (tangga layanan JMP: basic). "
     "(Households with a handwashing facility with soap and water, observed.)",
     "percentage",
     "percentage",
     "${hygiene_ladder} = 'basic'",
     kConsented,
     "",
     "increase",
     "%",
     {20, 30}},
};

double number(const bj::value& v) { return v.to_number<double>(); }
double one_decimal(double x) { return std::round(x * 10) / 10; }

std::vector<indicators::Dimension> by_sex_and_dusun(const char* sex_field) {
  indicators::Dimension sex;
  sex.name = "sex";
  sex.kind = "field";
  sex.field = sex_field;
  indicators::Dimension dusun;
  dusun.name = "dusun";
  dusun.kind = "area";
  dusun.level = 5;
  return {sex, dusun};
}

bool exists(db::Connection& c, std::int64_t program_id, const char* code) {
  return c
      .query_int("SELECT id FROM indicators WHERE program_id = $1 AND code = $2 AND deleted_at IS NULL",
                 {program_id, std::string(code)})
      .has_value();
}

// The 2025 figures of a freshly computed indicator become its baselines (overall and per cell
// of each dimension), and the targets follow from them.
void set_baselines(db::Connection& c, const OrgScope& s, const indicators::Indicator& ind,
                   const Change& change) {
  bj::object values = indicators::values_json(c, s, ind.id);
  const bj::object* year = nullptr;
  for (const auto& p : values.at("periods").as_array())
    if (p.as_object().at("period").as_string() == "2025") year = &p.as_object();
  if (!year || year->at("value").is_null()) return;
  const double base = number(year->at("value"));
  std::vector<indicators::Baseline> baselines;
  const char* narrative = "Survei baseline rumah tangga, Maret–April 2025 (1.200 rumah tangga).";
  baselines.push_back({{}, one_decimal(base), narrative, "2025-04-30", ""});
  for (const auto& [name, cells] : year->at("by_dimension").as_object())
    for (const auto& cell : cells.as_array()) {
      const auto& o = cell.as_object();
      if (o.at("value").is_null()) continue;
      baselines.push_back(
          {bj::object{{name, o.at("key")}}, one_decimal(number(o.at("value"))), narrative, "2025-04-30", ""});
    }
  auto bounded = [&](double x) {
    return ind.measure == "percentage" ? std::clamp(x, 0.0, 100.0) : std::max(x, 0.0);
  };
  indicators::Input up;
  up.baselines = baselines;
  up.targets = std::vector<indicators::Target>{
      {"2025", one_decimal(base), "Tahun baseline: belum ada perubahan yang diharapkan."},
      {"2026", one_decimal(bounded(base + change.y2026)), "Setelah jaringan Dusun I–III berfungsi."},
      {"2027", one_decimal(bounded(base + change.y2027)), "Setelah perluasan ke Dusun IV Nenas."},
      {"LOP", one_decimal(bounded(base + change.y2027)), ""}};
  indicators::update(c, s, ind.id, ind.version, up);
}

indicators::Input base_input(std::int64_t node, const char* code, const char* title, const char* definition) {
  indicators::Input in;
  in.result_node_id = node;
  in.code = code;
  in.title = title;
  in.definition = definition;
  return in;
}

void manual_taps(db::Connection& c, const People& who, std::int64_t program_id, std::int64_t node) {
  auto in =
      base_input(node, "IK-OP1.1", "Jumlah keran umum yang berfungsi",
                 "Keran umum yang mengalirkan air pada hari pemeriksaan akhir triwulan oleh teknisi BPSAB, "
                 "dicatat dengan berita acara. (Public taps working on the day of the quarterly check.)");
  in.measure = "unit";
  in.direction = "increase";
  in.unit_label = "keran";
  in.frequency = "quarterly";
  in.aggregation = "per_period";
  in.source = "manual";
  in.means_of_verification = "Berita acara pemeriksaan keran umum oleh BPSAB, foto setiap keran.";
  in.responsible_user_id = std::optional<std::int64_t>(who.officer_id);
  in.baselines = std::vector<indicators::Baseline>{
      {{}, 0.0, "Belum ada keran umum dari mata air Oelbubuk.", "2025-04-30", ""}};
  in.targets = std::vector<indicators::Target>{{"2025-Q4", 4.0, ""},
                                               {"2026-Q1", 8.0, ""},
                                               {"2026-Q2", 12.0, ""},
                                               {"2026-Q3", 12.0, ""},
                                               {"2026-Q4", 12.0, ""},
                                               {"2027-Q4", 16.0, ""},
                                               {"LOP", 16.0, "12 di Dusun I–III dan 4 di Dusun IV."}};
  auto ind = indicators::create(c, who.coordinator, program_id, in);
  struct Step {
    const char* period;
    double value;
    const char* narrative;
  };
  const Step approved[] = {{"2025-Q4", 5, "Keran tahap 1 di Dusun I (3) dan Dusun II (2) mengalir."},
                           {"2026-Q1", 9, "Empat keran tahap 2 selesai; 3 keran Dusun III menunggu pipa."},
                           {"2026-Q2", 12, "Semua 12 keran berfungsi setelah uji aliran 10 April."}};
  for (const auto& st : approved) {
    indicators::EntryInput e;
    e.period = st.period;
    e.value = std::optional<double>(st.value);
    e.narrative = st.narrative;
    auto entry = indicators::create_entry(c, who.officer, ind.id, e);
    entry = indicators::submit_entry(c, who.officer, entry.id, entry.version);
    indicators::approve_entry(c, who.coordinator, entry.id, entry.version);
  }
  // The third quarter: returned because a tap was reported broken, corrected and submitted again.
  indicators::EntryInput q3;
  q3.period = "2026-Q3";
  q3.value = std::optional<double>(12.0);
  q3.narrative = "Semua keran berfungsi.";
  auto entry = indicators::create_entry(c, who.officer, ind.id, q3);
  entry = indicators::submit_entry(c, who.officer, entry.id, entry.version);
  entry = indicators::return_entry(
      c, who.coordinator, entry.id, entry.version,
      "Ada pengaduan keran dekat sekolah Dusun II tidak mengalir; mohon periksa ulang "
      "dan lampirkan berita acara.");
  indicators::EntryInput fix;
  fix.value = std::optional<double>(11.0);
  fix.narrative = "Keran dekat SD Oelbubuk mati karena pipa bocor; 11 dari 12 keran berfungsi.";
  fix.note = "Berita acara BPSAB 30 September 2026.";
  entry = indicators::update_entry(c, who.officer, entry.id, entry.version, fix);
  indicators::submit_entry(c, who.officer, entry.id, entry.version);
}

void attendance_indicator(db::Connection& c, const People& who, std::int64_t program_id, std::int64_t node,
                          const char* code, const char* title, const char* definition,
                          std::optional<std::int64_t> activity, std::vector<indicators::Target> targets) {
  auto in = base_input(node, code, title, definition);
  in.measure = "unit";
  in.direction = "increase";
  in.unit_label = "orang";
  in.frequency = "quarterly";
  in.aggregation = "cumulative";
  in.source = "attendance";
  in.attendance = indicators::AttendanceSpec{"unique_people", activity};
  auto dims = by_sex_and_dusun("sex");
  indicators::Dimension disability;
  disability.name = "disabilitas";
  disability.kind = "field";
  disability.field = "disability";
  dims.push_back(disability);
  in.dimensions = dims;
  in.means_of_verification = "Daftar hadir kegiatan di Gotong (peserta terdaftar, duplikat digabung).";
  in.responsible_user_id = std::optional<std::int64_t>(who.officer_id);
  in.baselines = std::vector<indicators::Baseline>{{{}, 0.0, "Program belum berjalan.", "2025-04-30", ""}};
  in.targets = std::move(targets);
  indicators::create(c, who.coordinator, program_id, in);
}

}  // namespace

std::size_t write_indicators(db::Database& db, const People& who, std::int64_t program_id,
                             std::int64_t form_id) {
  std::size_t made = 0;
  auto nodes = db.read_value([&](db::Connection& c) {
    std::map<std::string, std::int64_t> m;
    for (const auto& n : results::nodes(c, who.coordinator, program_id)) m[n.code] = n.id;
    return m;
  });
  // Clean water is the first problem the program addresses.
  auto water_problem = db.read_value([&](db::Connection& c) -> std::optional<std::int64_t> {
    auto ids = programs::get(c, who.coordinator, program_id).problem_ids;
    if (ids.empty()) return std::nullopt;
    return ids.front();
  });
  for (const auto& spec : kSurvey) {
    bool done = db.write_value([&](db::Connection& c) {
      if (exists(c, program_id, spec.code)) return false;
      auto in = base_input(nodes.at(spec.node), spec.code, spec.title, spec.definition);
      in.measure = spec.measure;
      in.direction = spec.direction;
      in.unit_label = spec.unit_label;
      in.frequency = "yearly";
      in.aggregation = "per_period";
      in.source = "submissions";
      in.margin_percent = 10.0;
      indicators::Computation comp;
      comp.form_id = form_id;
      comp.calculation = spec.calculation;
      comp.filter = spec.filter;
      comp.denominator_filter = spec.denominator_filter;
      comp.value_field = spec.value_field;
      comp.period_field = "visit_date";
      in.computation = comp;
      in.dimensions = by_sex_and_dusun("head_sex");
      in.means_of_verification =
          "Survei rumah tangga WASH Desa Bosen (baseline 2025, endline 2026), formulir demo_wash_household.";
      in.responsible_user_id = std::optional<std::int64_t>(who.coordinator_id);
      auto ind = indicators::create(c, who.coordinator, program_id, in);
      set_baselines(c, who.coordinator, ind, spec.change);
      if (std::string_view(spec.code) == "IK-O1.1" && water_problem) {
        problems::EvidenceInput e;
        e.kind = "indicator";
        e.reference = spec.code;
        e.note = "Baseline 2025 dan endline 2026 menurut dusun dan jenis kelamin kepala keluarga.";
        problems::add_evidence(c, who.coordinator, *water_problem, e);
      }
      return true;
    });
    made += done;
  }
  made += db.write_value([&](db::Connection& c) {
    if (exists(c, program_id, "IK-OP1.1")) return false;
    manual_taps(c, who, program_id, nodes.at("OP1.1"));
    return true;
  });
  // Last: people reached, from the attendance lists of the events.
  auto activity = db.read_value([&](db::Connection& c) {
    return c.query_int("SELECT id FROM activities WHERE program_id = $1 AND code = 'A3.1.1'", {program_id});
  });
  made += db.write_value([&](db::Connection& c) {
    if (exists(c, program_id, "IK-OP3.1")) return false;
    attendance_indicator(
        c, who, program_id, nodes.at("OP3.1"), "IK-OP3.1",
        "Jumlah kader dan ibu balita yang dilatih PHBS",
        "Peserta unik pelatihan kader PHBS dan kelas ibu balita, dihitung sekali pada kegiatan "
        "pertamanya. (Unique people trained in hygiene promotion.)",
        activity,
        {{"2025-Q3", 20.0, ""},
         {"2026-Q1", 35.0, ""},
         {"2026-Q2", 55.0, ""},
         {"2026-Q4", 60.0, ""},
         {"LOP", 90.0, "Kader dan ibu balita di keempat dusun."}});
    return true;
  });
  made += db.write_value([&](db::Connection& c) {
    if (exists(c, program_id, "IK-G.2")) return false;
    attendance_indicator(
        c, who, program_id, nodes.at("G"), "IK-G.2", "Jumlah warga yang dijangkau kegiatan program",
        "Warga unik yang hadir dalam musyawarah, pemicuan, pelatihan atau distribusi program. "
        "(Unique people reached by the program's events.)",
        std::nullopt,
        {{"2025-Q3", 100.0, ""},
         {"2025-Q4", 110.0, ""},
         {"2026-Q2", 130.0, ""},
         {"2026-Q4", 150.0, ""},
         {"LOP", 180.0, "Termasuk warga Dusun IV pada tahap 2."}});
    return true;
  });
  return made;
}

}  // namespace gotong::domain::demo_workspace::detail
