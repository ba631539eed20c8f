#include "domain/demo_evaluation.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "domain/demo.hpp"
#include "domain/demo_survey.hpp"
#include "domain/demo_workspace.hpp"
#include "domain/evaluations.hpp"
#include "domain/idm.hpp"

namespace gotong::domain::demo_evaluation {

namespace bj = boost::json;

namespace {

constexpr const char* kCoordinator = "koordinator@demo.gotong.id";
constexpr const char* kBosen = "53.02.03.2003";
constexpr const char* kDusun[4] = {"53.02.03.2003.01", "53.02.03.2003.02", "53.02.03.2003.03",
                                   "53.02.03.2003.04"};

// Desa Bosen's scores in 2023, in questionnaire order (IKS 1–38, IKE 39–50, IKL 51–54): a
// highland village far from markets and banks, with strong mutual help, little clean water and
// few latrines.
constexpr const char* kScores2023 =
    "3432343"          // health 1–7
    "42213233"         // education 8–15
    "544434444443333"  // social capital 16–30
    "12124332"         // settlement 31–38: drinking water (31) and latrines (33) weakest
    "312311111222"     // economy 39–50
    "4334";            // ecology 51–54
// Changes in later years: (questionnaire number, new score). 2024: the water committee (BPSAB),
// a busier posyandu, village funds for the road; 2025: piped water in three dusun, BUMDes credit,
// a minibus route, an evacuation plan. Latrines stay weak: the next program's problem.
// IDM 0.5480 and 0.5626 (Tertinggal), then 0.6047 (Berkembang).
struct Change {
  int number, score;
};
const std::vector<Change> kChanges2024 = {{6, 4}, {50, 3}, {47, 2}, {38, 3}, {32, 3}};
const std::vector<Change> kChanges2025 = {{31, 3}, {34, 3}, {39, 4}, {46, 3}, {48, 2}, {54, 5}, {27, 5}};

OrgScope coordinator(db::Connection& c) {
  auto row = c.query_one("SELECT u.id, u.email, u.name FROM users u WHERE u.email = $1",
                         {std::string(kCoordinator)});
  if (!row) throw Error(ErrorCode::not_found, "the demo coordinator is missing; load the demo first");
  Actor a;
  a.user_id = row->int_at(0);
  a.email = row->text_at(1);
  a.name = row->text_at(2);
  return resolve_scope(c, a, demo::kOrgSlug);
}

std::int64_t area_id(db::Connection& c, const OrgScope& s, const char* code) {
  auto id = c.query_int(
      "SELECT id FROM areas WHERE code = $1 AND (org_id IS NULL OR org_id = $2) AND deleted_at IS NULL",
      {std::string(code), s.org_id()});
  if (!id) throw Error(ErrorCode::not_found, std::string("the demo area ") + code + " is missing");
  return *id;
}

bj::object variable(const char* label, const char* label_en, const char* kind, const char* field,
                    const char* expression, const char* filter, const char* desired, const char* unit = "",
                    const char* unit_en = "") {
  bj::object o{{"label", label}, {"label_en", label_en}, {"kind", kind}, {"desired", desired}};
  if (*field) o["field"] = field;
  if (*expression) o["expression"] = expression;
  if (*filter) o["filter"] = filter;
  if (*unit) o["unit_label"] = unit;
  if (*unit_en) o["unit_label_en"] = unit_en;
  return o;
}

bj::object criterion(int rating, std::initializer_list<const char*> evidence, const char* narrative) {
  bj::array ev;
  for (const char* e : evidence) ev.push_back(bj::value(e));
  return bj::object{{"rating", rating}, {"evidence", std::move(ev)}, {"narrative", narrative}};
}

bool create_evaluation(db::Connection& c, const OrgScope& s, std::int64_t program_id, std::int64_t form_id) {
  if (c.query_int("SELECT 1 FROM evaluations WHERE program_id = $1 AND title = $2 AND deleted_at IS NULL",
                  {program_id, std::string(kEvaluationTitle)}))
    return false;
  constexpr const char* consent = "${consent} = 'yes'";
  bj::object body{
      {"title", kEvaluationTitle},
      {"description",
       "Survei rumah tangga yang sama di awal program (Maret–April 2025) dan di akhir tahap pertama "
       "(September–Oktober 2026). Dusun I–III mendapat sambungan air perpipaan dan promosi cuci tangan; "
       "Dusun IV Nenas belum terjangkau dan menjadi pembanding."},
      {"baseline",
       bj::object{{"form_id", std::to_string(form_id)}, {"from", "2025-03-01"}, {"to", "2025-05-31"}}},
      {"endline",
       bj::object{{"form_id", std::to_string(form_id)}, {"from", "2026-09-01"}, {"to", "2026-11-30"}}},
      {"variables",
       bj::array{
           variable("Rumah tangga dengan air perpipaan", "Households with piped water", "proportion", "",
                    "${water_source} = 'piped_dwelling' or ${water_source} = 'piped_yard' or "
                    "${water_source} = 'public_tap'",
                    consent, "increase"),
           variable("Waktu mengambil air (pulang-pergi)", "Time to fetch water (round trip)", "mean",
                    "water_time", "", consent, "decrease", "menit", "minutes"),
           variable("Rumah tangga dengan sabun dan air di tempat cuci tangan",
                    "Households with soap and water at the handwashing place", "proportion", "",
                    "${hw_water} = 'yes' and ${hw_soap} = 'yes'", consent, "increase"),
           variable("Rumah tangga dengan balita diare dalam 2 minggu terakhir",
                    "Households with a child under five who had diarrhoea in the last 2 weeks", "proportion",
                    "", "${diarrhoea} = 'yes'", "${consent} = 'yes' and ${n_under5} > 0", "decrease"),
       }},
      {"treatment_area_ids", bj::array{bj::value(std::to_string(area_id(c, s, kDusun[0]))),
                                       bj::value(std::to_string(area_id(c, s, kDusun[1]))),
                                       bj::value(std::to_string(area_id(c, s, kDusun[2])))}},
      {"control_area_ids", bj::array{bj::value(std::to_string(area_id(c, s, kDusun[3])))}},
      {"cluster_level", 5},
      {"criteria",
       bj::object{
           {"relevance",
            criterion(4,
                      {"Musyawarah desa Januari 2025: air bersih prioritas pertama (matriks skor dan "
                       "perbandingan berpasangan)",
                       "Baseline 2025: sebagian besar rumah tangga tanpa air minum layak"},
                      "Program menjawab masalah yang paling dirasakan warga, terutama perempuan dan anak "
                      "yang memikul air.")},
           {"coherence",
            criterion(3,
                      {"RKPDes 2025 dan 2026: penyertaan modal BUMDes untuk sarana air",
                       "Puskesmas Kapan: kelas cuci tangan di posyandu"},
                      "Selaras dengan rencana desa dan program kesehatan; koordinasi dengan PAMSIMAS "
                      "kabupaten masih bisa diperkuat.")},
           {"effectiveness",
            criterion(3, {"Hasil evaluasi: akses air perpipaan dan cuci tangan naik jelas di Dusun I–III"},
                      "Tujuan akses air tercapai di tiga dusun; penurunan diare belum sekuat yang "
                      "diharapkan.")},
           {"efficiency",
            criterion(3, {"Laporan anggaran: realisasi sesuai rencana, biaya per rumah tangga terjangkau"},
                      "Swadaya tenaga warga menekan biaya pemasangan pipa.")},
           {"impact",
            criterion(2, {"Diare balita: perubahan belum pasti dibanding Dusun IV"},
                      "Dampak kesehatan mulai terlihat tetapi belum bisa dipastikan; perlu data satu "
                      "musim kemarau lagi.")},
           {"sustainability",
            criterion(2, {"BPSAB dibentuk November 2025; iuran Rp 5.000 per bulan baru 60% terkumpul"},
                      "Keberlanjutan bergantung pada iuran dan perawatan oleh BPSAB.")},
       }},
      {"lessons",
       bj::array{
           bj::object{{"text",
                       "Libatkan kelompok perempuan sejak perencanaan jalur pipa: merekalah yang tahu "
                       "titik ambil air."},
                      {"category", "partisipasi"}},
           bj::object{{"text",
                       "Dusun pembanding perlu dijadwalkan mendapat program berikutnya agar warga tetap "
                       "mau disurvei."},
                      {"category", "evaluasi"}},
           bj::object{{"text", "Pipa HDPE di jalur berbatu lebih awet daripada PVC."},
                      {"category", "teknis"}}}},
  };
  evaluations::create(c, s, program_id, evaluations::parse_input(body));
  return true;
}

std::size_t create_idm(db::Connection& c, const OrgScope& s, std::int64_t village) {
  std::size_t created = 0;
  std::string scores = kScores2023;
  const auto& defs = idm::indicators();
  for (int year : {2023, 2024, 2025}) {
    if (year == 2024)
      for (const auto& ch : kChanges2024) scores[ch.number - 1] = static_cast<char>('0' + ch.score);
    if (year == 2025)
      for (const auto& ch : kChanges2025) scores[ch.number - 1] = static_cast<char>('0' + ch.score);
    if (c.query_int("SELECT 1 FROM idm_assessments WHERE org_id = $1 AND area_id = $2 AND year = $3",
                    {s.org_id(), village, static_cast<std::int64_t>(year)}))
      continue;
    bj::object body{
        {"area_id", std::to_string(village)},
        {"year", year},
        {"notes", "Pemutakhiran IDM " + std::to_string(year) + ", ditetapkan dalam musyawarah desa."}};
    bj::object by_code;
    for (std::size_t i = 0; i < defs.size() && i < scores.size(); ++i)
      by_code[defs[i].code] = scores[i] - '0';
    body["scores"] = std::move(by_code);
    idm::create(c, s, idm::parse_input(body));
    ++created;
  }
  return created;
}

std::size_t create_links(db::Connection& c, const OrgScope& s, std::int64_t program_id) {
  std::size_t created = 0;
  auto link = [&](const char* indicator, const char* member, std::int64_t id) {
    const char* column = std::string_view(member) == "problem_id" ? "problem_id" : "program_id";
    if (c.query_int(std::string("SELECT 1 FROM idm_links WHERE org_id = $1 AND indicator = $2 AND ") +
                        column + " = $3",
                    {s.org_id(), std::string(indicator), id}))
      return;
    idm::create_link(c, s, bj::object{{"indicator", indicator}, {member, std::to_string(id)}});
    ++created;
  };
  for (const char* code : {"IKS.31", "IKS.32"}) link(code, "program_id", program_id);
  auto problem = [&](const char* like) {
    return c.query_int(
        "SELECT id FROM problems WHERE org_id = $1 AND deleted_at IS NULL AND LOWER(title) LIKE $2 ORDER BY "
        "id LIMIT 1",
        {s.org_id(), std::string(like)});
  };
  if (auto water = problem("%air minum%")) {
    link("IKS.31", "problem_id", *water);
    link("IKS.32", "problem_id", *water);
  }
  if (auto latrine = problem("%jamban%")) link("IKS.33", "problem_id", *latrine);
  return created;
}

}  // namespace

Result seed_demo_evaluation(db::Database& db) {
  return db.write_value([&](db::Connection& c) {
    Result r;
    const OrgScope s = coordinator(c);
    auto program = c.query_int(
        "SELECT id FROM programs WHERE org_id = $1 AND name = $2 AND deleted_at IS NULL "
        "ORDER BY id LIMIT 1",
        {s.org_id(), std::string(demo_workspace::kProgramName)});
    if (!program)
      throw Error(ErrorCode::not_found, "the demo program is missing; load the demo workspace first");
    auto form = c.query_int("SELECT id FROM forms WHERE org_id = $1 AND xml_form_id = $2",
                            {s.org_id(), std::string(demo_survey::kFormId)});
    if (!form) throw Error(ErrorCode::not_found, "the demo household survey is missing");
    r.evaluation_created = create_evaluation(c, s, *program, *form);
    r.idm_years_created = create_idm(c, s, area_id(c, s, kBosen));
    r.idm_links_created = create_links(c, s, *program);
    return r;
  });
}

}  // namespace gotong::domain::demo_evaluation
