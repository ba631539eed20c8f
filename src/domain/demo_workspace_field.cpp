// The field half of the demo workspace: what the program did from May 2025 to October 2026 —
// activities under the framework's activity tier, their events with about 150 registered
// villagers and their attendance, the budget with its realisation, and what the community said
// through the feedback channels.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "base/time.hpp"
#include "domain/activities.hpp"
#include "domain/attendance.hpp"
#include "domain/budget.hpp"
#include "domain/demo_workspace_parts.hpp"
#include "domain/feedback.hpp"
#include "domain/participants.hpp"

namespace gotong::domain::demo_workspace::detail {

namespace {

// -- the participant register ---------------------------------------------------------------
constexpr const char* kWomen[] = {
    "Maria",   "Yuliana", "Dorkas", "Agustina", "Yohana",   "Margarita", "Ester",    "Selfina", "Oktaviana",
    "Yublina", "Ruth",    "Naomi",  "Debora",   "Kristina", "Florida",   "Serlin",   "Meri",    "Dominika",
    "Adelina", "Sarlota", "Imelda", "Marlin",   "Yosina",   "Novita",    "Elisabet", "Antonia", "Welmina"};
constexpr const char* kMen[] = {"Yohanes", "Marthen",  "Ferdinand", "Oktovianus", "Yakobus",    "Petrus",
                                "Paulus",  "Simon",    "Daniel",    "Markus",     "Yosef",      "Agus",
                                "Frans",   "Nikolaus", "Benyamin",  "Melkianus",  "Aleksander", "Efraim",
                                "Matias",  "Yeremias", "Stefanus",  "Hendrik",    "Jefri",      "Roni"};
constexpr const char* kFamilies[] = {"Tanesib", "Nomleni",  "Selan",    "Boimau",   "Nope",      "Taneo",
                                     "Sanam",   "Benu",     "Tefa",     "Nenobais", "Lakapu",    "Kase",
                                     "Missa",   "Oematan",  "Tualaka",  "Banunaek", "Nubatonis", "Kolo",
                                     "Atonis",  "Nenometa", "Taus",     "Tamonob",  "Faot",      "Lasi",
                                     "Neolaka", "Sapay",    "Naitboho", "Baun"};
constexpr int kPerDusun[4] = {48, 40, 36, 26};

struct Person {
  std::int64_t id = 0;
  int dusun = 0;  // 0..3
  bool female = false;
  int birth_year = 0;
};

std::vector<Person> register_people(db::Connection& c, const OrgScope& s, const Place& where) {
  Draw draw(20250501);
  std::vector<Person> out;
  std::vector<std::string> used;
  for (int d = 0; d < 4; ++d)
    for (int k = 0; k < kPerDusun[d]; ++k) {
      Person p;
      p.dusun = d;
      p.female = draw.chance(0.58);
      std::string name;
      do {  // one name per person in the register, so the duplicates list shows only the real one
        name = std::string(p.female ? kWomen[draw.between(0, std::size(kWomen) - 1)]
                                    : kMen[draw.between(0, std::size(kMen) - 1)]) +
               " " + kFamilies[draw.between(0, std::size(kFamilies) - 1)];
      } while (std::find(used.begin(), used.end(), name) != used.end());
      used.push_back(name);
      p.birth_year = draw.chance(0.12) ? draw.between(1945, 1964) : draw.between(1965, 2006);
      participants::Input in;
      in.name = name;
      in.sex = p.female ? "female" : "male";
      in.birth_year = std::optional<std::int64_t>(p.birth_year);
      in.area_id = std::optional<std::int64_t>(where.dusun[static_cast<std::size_t>(d)]);
      if (draw.chance(0.6)) {
        in.phone = "08" + std::to_string(draw.between(11, 13)) + "-" +
                   std::to_string(draw.between(3000, 3999)) + "-" + std::to_string(draw.between(1000, 9999));
      }
      if (draw.chance(0.3)) {  // KTP shown at the registration desk: kept only as a salted digest
        // 530203 (Mollo Utara), day of birth (+40 for women), month, year, then a serial number.
        auto two = [](int x) { return std::string(x < 10 ? "0" : "") + std::to_string(x); };
        const int day = draw.between(1, 28) + (p.female ? 40 : 0), month = draw.between(1, 12);
        const int serial = draw.between(1, 9999);
        std::string nik = "530203" + two(day) + two(month) + two(p.birth_year % 100) + two(serial / 100) +
                          two(serial % 100);
        in.nik = std::optional<std::string>(nik);
      }
      // Washington Group short set: asked of everyone; a few older people have real difficulties.
      participants::WgAnswers wg;
      const bool older = p.birth_year < 1965;
      for (std::size_t i = 0; i < wg.size(); ++i) {
        double x = draw.uniform();
        wg[i] = x < (older ? 0.025 : 0.003) ? "a_lot" : x < (older ? 0.2 : 0.05) ? "some" : "none";
      }
      in.wg = wg;
      p.id = participants::create(c, s, in).id;
      out.push_back(p);
    }
  // Registered again, without the KTP, at the STBM trigger in Dusun II where she was visiting
  // family: the duplicates list offers the pair (same name, birth year and village) for merging.
  const Person& first = out[static_cast<std::size_t>(kPerDusun[0] + 3)];
  auto again = participants::get(c, s, first.id);
  participants::Input twin;
  twin.name = again.name;
  twin.sex = again.sex;
  twin.birth_year = std::optional<std::int64_t>(first.birth_year);
  twin.area_id = std::optional<std::int64_t>(where.dusun[1]);
  Person copy = first;
  copy.id = participants::create(c, s, twin).id;
  out.push_back(copy);
  return out;
}

// -- activities and events ----------------------------------------------------------------
struct ActivitySpec {
  const char* code;
  const char* title;
  const char* status;
  const char* planned_start;
  const char* planned_end;
  const char* actual_start;  // nullptr: not started
  const char* actual_end;
  int dusun;     // 0: the whole village, else the dusun's number
  bool partner;  // the LSM partner is responsible, else the field officer
  std::int64_t targeted_female, targeted_male;
};
const ActivitySpec kActivities[] = {
    {"A1.1.1", "Perlindungan mata air Oelbubuk dan pembangunan bak penangkap", "done", "2025-05-01",
     "2025-08-31", "2025-05-12", "2025-08-22", 2, false, 0, 0},
    {"A1.1.2", "Pemasangan pipa transmisi dan 12 keran umum di Dusun I–III", "done", "2025-05-15",
     "2026-03-31", "2025-05-17", "2026-04-10", 0, false, 60, 50},
    {"A1.1.3", "Perluasan jaringan ke Dusun IV Nenas", "ongoing", "2026-10-01", "2027-09-30", "2026-10-10",
     nullptr, 4, false, 15, 12},
    {"A1.2.1", "Pembentukan dan pelatihan BPSAB", "done", "2025-10-01", "2026-03-31", "2025-11-08",
     "2026-02-14", 0, true, 8, 8},
    {"A2.1.1", "Pemicuan STBM di setiap dusun", "done", "2025-07-01", "2026-08-31", "2025-07-12",
     "2026-08-15", 0, true, 45, 35},
    {"A2.1.2", "Distribusi kloset leher angsa dan semen", "done", "2025-09-01", "2025-12-31", "2025-09-20",
     "2025-09-20", 0, false, 15, 25},
    {"A3.1.1", "Pelatihan kader PHBS dan kelas ibu balita", "ongoing", "2025-08-01", "2027-06-30",
     "2025-08-23", nullptr, 0, true, 60, 5},
    {"A3.1.2", "Distribusi tempat cuci tangan dan sabun", "done", "2026-04-01", "2026-05-31", "2026-04-18",
     "2026-04-18", 0, false, 30, 15},
};

struct EventSpec {
  const char* activity;
  const char* kind;
  const char* title;
  const char* held_on;
  const char* place;
  int dusun;                // where it was held, 1..4 (0: the village hall)
  std::array<int, 4> from;  // how many attendees from each dusun
  double female;            // the share of women among them
};
const EventSpec kEvents[] = {
    {"A1.1.2",
     "musyawarah",
     "Musyawarah penentuan titik keran umum Dusun I Bosen",
     "2025-05-17",
     "Gereja GMIT Bosen",
     1,
     {22, 0, 0, 0},
     0.45},
    {"A1.1.2",
     "musyawarah",
     "Musyawarah penentuan titik keran umum Dusun II Oelbubuk",
     "2025-05-24",
     "Rumah Kepala Dusun II",
     2,
     {0, 18, 0, 0},
     0.45},
    {"A1.1.2",
     "musyawarah",
     "Musyawarah penentuan titik keran umum Dusun III Fatumnasi",
     "2025-05-31",
     "SD Inpres Fatumnasi",
     3,
     {0, 0, 16, 0},
     0.45},
    {"A2.1.1",
     "meeting",
     "Pemicuan STBM Dusun I Bosen",
     "2025-07-12",
     "Balai Dusun I",
     1,
     {26, 0, 0, 0},
     0.55},
    {"A2.1.1",
     "meeting",
     "Pemicuan STBM Dusun II Oelbubuk",
     "2025-07-19",
     "Balai Dusun II",
     2,
     {0, 22, 0, 0},
     0.55},
    {"A2.1.1",
     "meeting",
     "Pemicuan STBM Dusun III Fatumnasi",
     "2025-08-02",
     "SD Inpres Fatumnasi",
     3,
     {0, 0, 20, 0},
     0.55},
    {"A3.1.1",
     "training",
     "Pelatihan kader PHBS (2 hari)",
     "2025-08-23",
     "Kantor Desa Bosen",
     0,
     {7, 6, 5, 2},
     0.9},
    {"A2.1.2",
     "distribution",
     "Distribusi kloset dan semen tahap 1",
     "2025-09-20",
     "Gudang Desa Bosen",
     0,
     {12, 10, 10, 0},
     0.35},
    {"A1.2.1",
     "training",
     "Pelatihan BPSAB: operasi dan perawatan sarana air",
     "2025-11-10",
     "Kantor Desa Bosen",
     0,
     {5, 4, 3, 0},
     0.4},
    {"A1.2.1",
     "training",
     "Pelatihan BPSAB: pembukuan iuran air",
     "2026-02-14",
     "Kantor Desa Bosen",
     0,
     {4, 3, 3, 0},
     0.5},
    {"A3.1.1",
     "training",
     "Kelas ibu balita: cuci tangan pakai sabun",
     "2026-03-07",
     "Posyandu Dusun I",
     1,
     {18, 0, 0, 0},
     0.95},
    {"A3.1.2",
     "distribution",
     "Distribusi tempat cuci tangan dan sabun",
     "2026-04-18",
     "Balai Desa Bosen",
     0,
     {16, 14, 12, 0},
     0.65},
    {"A3.1.1",
     "training",
     "Kelas ibu balita: pengolahan dan penyimpanan air minum",
     "2026-06-13",
     "Posyandu Dusun II",
     2,
     {0, 14, 10, 0},
     0.95},
    {"A2.1.1",
     "meeting",
     "Pemicuan ulang STBM Dusun III Fatumnasi",
     "2026-08-15",
     "SD Inpres Fatumnasi",
     3,
     {0, 0, 18, 0},
     0.5},
    {"A1.1.3",
     "meeting",
     "Sosialisasi rencana perluasan jaringan ke Dusun IV Nenas",
     "2026-10-10",
     "Kapela Nenas",
     4,
     {0, 0, 0, 22},
     0.5},
};

// Picks `n` people of dusun `d` for an event, women with probability `female`, preferring people
// already met (a program meets the same villagers again) but bringing in new faces too.
std::vector<std::int64_t> pick(Draw& draw, const std::vector<Person>& people, int d, int n, double female) {
  std::vector<const Person*> pool;
  for (const auto& p : people)
    if (p.dusun == d) pool.push_back(&p);
  std::vector<std::int64_t> out;
  for (int tries = 0; static_cast<int>(out.size()) < n && tries < 2000; ++tries) {
    const Person* p = pool[static_cast<std::size_t>(draw.between(0, static_cast<int>(pool.size()) - 1))];
    if (p->female != draw.chance(female) && tries < 1500) continue;
    if (std::find(out.begin(), out.end(), p->id) == out.end()) out.push_back(p->id);
  }
  return out;
}

std::map<std::string, std::int64_t> write_activities(db::Connection& c, const People& who, const Place& where,
                                                     const Design& d) {
  const OrgScope& s = who.coordinator;
  std::map<std::string, std::int64_t> ids;
  for (const auto& a : kActivities) {
    activities::Input in;
    in.result_node_id = d.nodes.at(a.code);
    in.code = a.code;
    in.title = a.title;
    in.status = a.status;
    in.planned_start = a.planned_start;
    in.planned_end = a.planned_end;
    in.sector = "WASH";
    if (a.actual_start) in.actual_start = std::optional<std::string>(a.actual_start);
    if (a.actual_end) in.actual_end = std::optional<std::string>(a.actual_end);
    if (a.partner)
      in.responsible_stakeholder_id = std::optional<std::int64_t>(d.stakeholders.at("lsm"));
    else
      in.responsible_user_id = std::optional<std::int64_t>(who.officer_id);
    in.area_id = std::optional<std::int64_t>(a.dusun ? where.dusun[static_cast<std::size_t>(a.dusun - 1)]
                                                     : where.village_id);
    if (a.targeted_female || a.targeted_male) {
      in.people_targeted_female = std::optional<std::int64_t>(a.targeted_female);
      in.people_targeted_male = std::optional<std::int64_t>(a.targeted_male);
      in.people_targeted = std::optional<std::int64_t>(a.targeted_female + a.targeted_male);
    }
    ids[a.code] = activities::create(c, s, d.program_id, in).id;
  }
  return ids;
}

void write_events(db::Connection& c, const People& who, const Place& where, const Design& d,
                  const std::map<std::string, std::int64_t>& activity_ids,
                  const std::vector<Person>& people) {
  Draw draw(20250517);
  for (const auto& e : kEvents) {
    activities::EventInput in;
    in.kind = e.kind;
    in.title = e.title;
    in.held_on = e.held_on;
    in.place = e.place;
    in.area_id = std::optional<std::int64_t>(e.dusun ? where.dusun[static_cast<std::size_t>(e.dusun - 1)]
                                                     : where.village_id);
    activities::Facilitator lead;
    if (std::string_view(e.activity).starts_with("A2") || std::string_view(e.activity).starts_with("A3"))
      lead.stakeholder_id = d.stakeholders.at("yustina");
    else
      lead.user_id = who.officer_id;
    std::vector<activities::Facilitator> facilitators = {lead};
    if (std::string_view(e.activity).starts_with("A2")) {
      activities::Facilitator sanitarian;
      sanitarian.stakeholder_id = d.stakeholders.at("puskesmas");
      facilitators.push_back(sanitarian);
    }
    in.facilitators = facilitators;
    auto event = activities::create_event(c, who.coordinator, activity_ids.at(e.activity), in);
    std::vector<std::int64_t> present;
    for (int k = 0; k < 4; ++k)
      for (auto id : pick(draw, people, k, e.from[static_cast<std::size_t>(k)], e.female))
        present.push_back(id);
    // The duplicate registration came to the Dusun II trigger.
    if (std::string_view(e.title) == "Pemicuan STBM Dusun II Oelbubuk") present.push_back(people.back().id);
    // The field officer takes attendance on the tablet.
    attendance::add(c, who.officer, event.id, present, {});
  }
}

// -- budget ---------------------------------------------------------------------------------
struct LineSpec {
  const char* code;
  const char* name;
  const char* activity;  // nullptr: the program as a whole
  const char* category;
  const char* funding;
  bool donor;
  std::vector<std::pair<std::string, std::int64_t>> planned;
  const char* output_unit;
  std::int64_t output_planned, output_actual;
  std::vector<std::array<const char*, 3>> spent;  // date, amount, payee
};
std::vector<LineSpec> line_specs() {
  return {
      {"BL-01",
       "Bak penangkap mata air Oelbubuk",
       "A1.1.1",
       "apbdes_2",
       "apbdes",
       false,
       {{"2025-06", 60'000'000}, {"2025-07", 75'000'000}, {"2025-08", 50'000'000}},
       "unit bak penangkap",
       1,
       1,
       {{"2025-06-10", "58500000", "CV Mollo Jaya (material)"},
        {"2025-07-15", "71200000", "CV Mollo Jaya (konstruksi)"},
        {"2025-08-25", "49800000", "Kelompok kerja warga Dusun III (HOK)"}}},
      {"BL-02",
       "Pipa transmisi dan 12 keran umum",
       "A1.1.2",
       "apbdes_2",
       "donor",
       true,
       {{"2025-08", 180'000'000},
        {"2025-10", 160'000'000},
        {"2025-12", 140'000'000},
        {"2026-02", 100'000'000},
        {"2026-03", 60'000'000}},
       "keran umum",
       12,
       12,
       {{"2025-08-28", "176400000", "Toko Bangunan Sinar Soe (pipa HDPE 4,2 km)"},
        {"2025-10-30", "151900000", "CV Mollo Jaya (galian dan pemasangan)"},
        {"2025-12-19", "143250000", "CV Mollo Jaya (keran umum tahap 1)"},
        {"2026-02-27", "97600000", "CV Mollo Jaya (keran umum tahap 2)"},
        {"2026-04-10", "64800000", "CV Mollo Jaya (penyelesaian dan uji aliran)"}}},
      {"BL-03",
       "Perluasan jaringan ke Dusun IV Nenas",
       "A1.1.3",
       "apbdes_2",
       "other",
       false,
       {{"2027-03", 150'000'000}, {"2027-05", 150'000'000}, {"2027-08", 120'000'000}},
       "keran umum",
       4,
       0,
       {}},
      {"BL-04",
       "Pelatihan dan perlengkapan BPSAB",
       "A1.2.1",
       "apbdes_4",
       "donor",
       true,
       {{"2025-11", 11'000'000}, {"2026-02", 7'500'000}},
       "",
       0,
       0,
       {{"2025-11-12", "10650000", "Perkumpulan Lakoat Air Mollo"},
        {"2026-02-16", "7150000", "Perkumpulan Lakoat Air Mollo"}}},
      {"BL-05",
       "Pemicuan STBM",
       "A2.1.1",
       "apbdes_4",
       "apbdes",
       false,
       {{"2025-07", 6'000'000}, {"2025-08", 3'000'000}, {"2026-08", 3'000'000}},
       "",
       0,
       0,
       {{"2025-07-20", "5400000", "Perkumpulan Lakoat Air Mollo"},
        {"2025-08-04", "2950000", "Perkumpulan Lakoat Air Mollo"},
        {"2026-08-17", "2800000", "Perkumpulan Lakoat Air Mollo"}}},
      {"BL-06",
       "Kloset leher angsa dan semen untuk rumah tangga miskin",
       "A2.1.2",
       "apbdes_2",
       "apbdes",
       false,
       {{"2025-09", 96'000'000}},
       "paket jamban",
       80,
       64,
       {{"2025-09-18", "76800000", "Toko Bangunan Sinar Soe (64 paket)"}}},
      {"BL-07",
       "Pelatihan kader PHBS dan kelas ibu balita",
       "A3.1.1",
       "apbdes_4",
       "donor",
       true,
       {{"2025-08", 9'000'000}, {"2026-03", 4'500'000}, {"2026-06", 4'500'000}, {"2027-03", 4'000'000}},
       "",
       0,
       0,
       {{"2025-08-25", "8750000", "Perkumpulan Lakoat Air Mollo"},
        {"2026-03-09", "4300000", "TP PKK Desa Bosen (konsumsi dan alat peraga)"},
        {"2026-06-15", "4600000", "TP PKK Desa Bosen (konsumsi dan alat peraga)"}}},
      {"BL-08",
       "Tempat cuci tangan dan sabun",
       "A3.1.2",
       "apbdes_4",
       "donor",
       true,
       {{"2026-04", 31'500'000}},
       "tempat cuci tangan",
       45,
       42,
       {{"2026-04-14", "29400000", "UD Sumber Rejeki Soe (42 ember keran dan sabun)"}}},
      {"BL-09",
       "Survei baseline dan endline",
       nullptr,
       "Monitoring dan evaluasi",
       "donor",
       true,
       {{"2025-03", 20'000'000}, {"2025-04", 5'000'000}, {"2026-09", 20'000'000}, {"2026-10", 5'000'000}},
       "",
       0,
       0,
       {{"2025-03-31", "19200000", "Honor enumerator baseline"},
        {"2025-04-20", "4700000", "FKM Universitas Nusa Cendana (analisis)"},
        {"2026-09-30", "21300000", "Honor enumerator endline"}}},
  };
}

void write_budget(db::Connection& c, const People& who, const Design& d,
                  const std::map<std::string, std::int64_t>& activity_ids) {
  const OrgScope& s = who.coordinator;
  for (const auto& l : line_specs()) {
    budget::LineInput in;
    in.code = l.code;
    in.name = l.name;
    in.category = l.category;
    in.funding_source = l.funding;
    if (l.activity) in.activity_id = std::optional<std::int64_t>(activity_ids.at(l.activity));
    if (l.donor) in.donor_stakeholder_id = std::optional<std::int64_t>(d.stakeholders.at("donor"));
    in.planned = l.planned;
    if (*l.output_unit) {
      in.output_unit = l.output_unit;
      in.output_planned = std::optional<std::int64_t>(l.output_planned);
      in.output_actual = std::optional<std::int64_t>(l.output_actual);
    }
    auto line = budget::create_line(c, s, d.program_id, in);
    for (const auto& e : l.spent) {
      budget::ExpenditureInput x;
      x.spent_on = e[0];
      x.amount = std::stoll(e[1]);
      x.payee = e[2];
      x.description = std::string(l.name) + " (" + e[0] + ")";
      budget::create_expenditure(c, s, line.id, x);
    }
  }
}

// -- feedback ---------------------------------------------------------------------------------
struct FeedbackSpec {
  int days_ago;
  const char* channel;
  const char* category;
  const char* message;
  const char* sender;  // "" anonymous
  int dusun;
  const char* status;
  const char* response;
};
const FeedbackSpec kFeedback[] = {
    {41, "in_person", "complaint", "Antrean di keran umum dekat gereja Dusun I panjang sekali setiap pagi.",
     "Yohana Kase", 1, "resolved",
     "BPSAB dan warga menyepakati jadwal ambil air per RT (pagi untuk RT 01–02, sore untuk RT 03–04) dan "
     "satu keran "
     "tambahan dipasang."},
    {33, "box", "suggestion",
     "Mohon kelas ibu balita diadakan sore hari supaya ibu-ibu yang ke kebun bisa ikut.", "", 2, "resolved",
     "Kelas berikutnya dijadwalkan pukul 15.00 dan diumumkan di gereja dan Radio Suara Mollo."},
    {12, "phone", "complaint", "Keran umum di Dusun II dekat sekolah tidak mengalir sejak tiga hari.",
     "Ferdinand Selan", 2, "in_progress",
     "Teknisi BPSAB menemukan pipa bocor di jalur transmisi; perbaikan dijadwalkan Sabtu ini."},
    {9, "sms_whatsapp", "complaint", "Air dari keran umum keruh setelah hujan deras.", "Dorkas Lakapu", 3,
     "in_progress",
     "Sampel air akan diuji di laboratorium PDAM bulan Desember; sementara warga diminta merebus air."},
    {6, "box", "complaint", "Iuran air Rp 5.000 per bulan terlalu berat bagi janda dan lansia.", "", 1,
     "received", ""},
    {4, "in_person", "question",
     "Kapan jaringan air sampai ke Dusun IV Nenas? Kami masih jalan satu jam ke mata air.", "Matias Oematan",
     4, "received", ""},
    {3, "phone", "sensitive", "Ada dugaan bendahara BPSAB memakai uang iuran untuk keperluan pribadi.", "", 1,
     "in_progress",
     "Koordinator meminta BPD memeriksa buku kas BPSAB bersama pengurus; pelapor dirahasiakan."},
    {1, "letter", "complaint", "Tempat cuci tangan yang dibagikan di rumah kami sudah bocor.",
     "Selfina Nubatonis", 2, "received", ""},
};

void write_feedback(db::Connection& c, const People& who, const Place& where, const Design& d) {
  const std::int64_t now = now_millis();
  for (const auto& f : kFeedback) {
    feedback::Input in;
    in.program_id = std::optional<std::int64_t>(d.program_id);
    in.area_id = std::optional<std::int64_t>(where.dusun[static_cast<std::size_t>(f.dusun - 1)]);
    in.channel = f.channel;
    in.category = f.category;
    in.message = f.message;
    in.anonymous = !*f.sender;
    if (*f.sender) in.sender_name = f.sender;
    in.received_at = now - static_cast<std::int64_t>(f.days_ago) * 24 * 3600 * 1000 - 5 * 3600 * 1000;
    auto item = feedback::create(c, who.officer, in);
    if (std::string_view(f.status) == "received") continue;
    feedback::Input handle;
    handle.status = f.status;
    handle.response = f.response;
    feedback::update(c, who.coordinator, item.id, item.version, handle);
  }
}

}  // namespace

void write_field(db::Connection& c, const People& who, const Place& where, const Design& d) {
  auto activity_ids = write_activities(c, who, where, d);
  auto people = register_people(c, who.officer, where);
  write_events(c, who, where, d, activity_ids, people);
  write_budget(c, who, d, activity_ids);
  write_feedback(c, who, where, d);
}

}  // namespace gotong::domain::demo_workspace::detail
