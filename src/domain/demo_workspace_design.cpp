// The design half of the demo workspace: the musyawarah desa of February 2025 that ranked the
// village's problems, the problem tree of clean water, the stakeholders, and the program with its
// results framework and engagement log.
#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "base/error.hpp"
#include "domain/demo_workspace.hpp"
#include "domain/demo_workspace_parts.hpp"
#include "domain/engagements.hpp"
#include "domain/prioritisation.hpp"
#include "domain/problem_tree.hpp"
#include "domain/problems.hpp"
#include "domain/programs.hpp"
#include "domain/results.hpp"
#include "domain/stakeholders.hpp"

namespace gotong::domain::demo_workspace::detail {

namespace {

struct ProblemSpec {
  const char* key;
  const char* title;
  const char* description;
  int dusun;  // 0: the whole village, else the dusun's number
  const char* source;
  std::vector<int> sdgs;
  std::vector<std::string> sectors;
  std::vector<problems::AffectedGroup> groups;
  std::array<int, 5> scores;  // the musyawarah's typical score per criterion, 1–5
};

// In the order they were written down at the musyawarah desa.
const std::vector<ProblemSpec>& problem_specs() {
  static const std::vector<ProblemSpec> all = {
      {"air",
       "Sulit mendapat air minum bersih, terutama di musim kemarau",
       "Sebagian besar rumah tangga mengambil air dari mata air dan sumur yang tidak terlindungi, 30–60 "
       "menit pulang-pergi. Dari Agustus sampai November debit mata air turun dan antrean panjang. Perempuan "
       "dan anak-anak yang paling banyak memikul air.",
       0,
       "survey",
       {6, 3, 5},
       {"air bersih", "WASH"},
       {{"Rumah tangga tanpa sumber air minum layak", 610}, {"Perempuan dan anak yang memikul air", 1400}},
       {5, 5, 5, 4, 5}},
      {"sanitasi",
       "Banyak rumah tangga belum memiliki jamban sehat",
       "Sekitar seperempat rumah tangga masih buang air besar sembarangan di kebun, dan banyak jamban "
       "cemplung "
       "tanpa lantai kedap air. Desa Bosen belum berstatus ODF (Stop BABS).",
       0,
       "survey",
       {6, 3},
       {"sanitasi", "WASH"},
       {{"Rumah tangga tanpa jamban", 300}},
       {4, 4, 4, 4, 4}},
      {"stunting",
       "Angka stunting balita tinggi",
       "Data e-PPGBM Puskesmas Kapan menunjukkan hampir 4 dari 10 balita di Desa Bosen pendek untuk umurnya. "
       "Diare berulang dan air minum yang tidak aman ikut memperburuknya.",
       0,
       "government_data",
       {2, 3},
       {"kesehatan", "gizi"},
       {{"Balita", 260}, {"Ibu hamil dan menyusui", 90}},
       {5, 4, 4, 3, 4}},
      {"jalan",
       "Jalan desa ke Dusun III dan IV rusak",
       "Jalan tanah sepanjang 6 km ke Dusun III Fatumnasi dan Dusun IV Nenas licin dan berlubang di musim "
       "hujan; hasil kebun sulit dibawa ke pasar dan ambulans desa tidak bisa lewat.",
       3,
       "observation",
       {9, 11},
       {"infrastruktur"},
       {{"Warga Dusun III dan IV", 900}},
       {3, 4, 3, 2, 5}},
      {"pendapatan",
       "Pendapatan petani rendah dan musiman",
       "Sebagian besar warga bertani jagung dan sayur; harga jatuh saat panen dan tidak ada tempat "
       "penyimpanan. Banyak pemuda merantau ke Kupang dan Kalimantan.",
       0,
       "musyawarah_desa",
       {1, 8},
       {"ekonomi", "pertanian"},
       {{"Rumah tangga petani", 1000}},
       {4, 4, 3, 3, 4}},
      {"mata_air",
       "Debit mata air berkurang karena penebangan di hulu",
       "Pohon di sekitar mata air Oelbubuk dan Fatumnasi ditebang untuk kebun dan kayu bakar; debit mata air "
       "turun dari tahun ke tahun.",
       2,
       "musyawarah_desa",
       {15, 13, 6},
       {"lingkungan"},
       {{"Seluruh warga desa", 4200}},
       {4, 3, 3, 3, 3}},
      {"posyandu",
       "Posyandu belum rutin di Dusun III dan IV",
       "Posyandu di Dusun III dan IV sering tidak buka karena kader kurang dan jarak jauh dari Puskesmas.",
       4,
       "government_data",
       {3},
       {"kesehatan"},
       {{"Balita Dusun III dan IV", 110}},
       {3, 2, 3, 4, 3}},
      {"sekolah",
       "Anak putus sekolah di tingkat SMP dan SMA",
       "Survei rumah tangga menemukan sepertiga remaja 16–18 tahun tidak bersekolah; banyak yang membantu di "
       "kebun atau mengambil air.",
       0,
       "survey",
       {4},
       {"pendidikan"},
       {{"Remaja 13–18 tahun", 150}},
       {3, 2, 2, 3, 3}},
      {"listrik",
       "Listrik PLN belum sampai ke sebagian Dusun IV Nenas",
       "Sekitar 40 rumah di Dusun IV memakai pelita atau panel surya kecil.",
       4,
       "observation",
       {7},
       {"energi"},
       {{"Rumah tangga tanpa listrik", 40}},
       {2, 1, 2, 2, 2}},
      {"perempuan",
       "Perempuan jarang terlibat dalam keputusan desa",
       "Dalam musyawarah desa hanya sedikit perempuan yang hadir dan berbicara; kebutuhan mereka (air, "
       "kesehatan anak) kurang terdengar.",
       0,
       "musyawarah_desa",
       {5, 18},
       {"gender", "tata kelola"},
       {{"Perempuan dewasa", 1250}},
       {3, 3, 2, 4, 3}},
  };
  return all;
}

// The five default criteria, named in Bahasa Indonesia with the English in brackets and
// weighted as the musyawarah agreed: how bad and how many count double.
const prioritisation::CriterionInput kCriteria[] = {
    {std::nullopt, "Tingkat keparahan (severity)", 2},
    {std::nullopt, "Jumlah warga terdampak (people affected)", 2},
    {std::nullopt, "Kemendesakan (urgency)", 1.5},
    {std::nullopt, "Kelayakan ditangani desa (feasibility)", 1},
    {std::nullopt, "Prioritas warga (community priority)", 1.5},
};
const char* const kScorers[] = {"Markus Tanesib (Kepala Desa)",    "Agustina Sanam (Ketua BPD)",
                                "Dorkas Nomleni (Ketua TP PKK)",   "Ferdinand Selan (Kepala Dusun II)",
                                "Yuliana Boimau (Kader Posyandu)", "Petrus Taneo (Tokoh Adat)"};

void prioritise(db::Connection& c, const People& who, const std::map<std::string, std::int64_t>& ids,
                const std::vector<std::int64_t>& order) {
  const OrgScope& s = who.coordinator;
  prioritisation::Input in;
  in.title = "Musyawarah Desa Bosen 2025: pemeringkatan masalah (matriks skor)";
  in.description =
      "Enam wakil warga memberi skor 1–5 untuk setiap masalah pada lima kriteria di Balai Desa Bosen. "
      "Bobot kriteria disepakati bersama sebelum penilaian.";
  in.held_on = std::optional<std::string>("2025-02-08");
  in.method = "scoring";
  in.problem_ids = order;
  in.criteria = std::vector<prioritisation::CriterionInput>(std::begin(kCriteria), std::end(kCriteria));
  auto session = prioritisation::create(c, s, in);
  Draw draw(20250208);
  for (std::size_t k = 0; k < std::size(kScorers); ++k) {
    std::vector<prioritisation::ScoreInput> scores;
    for (const auto& spec : problem_specs())
      for (std::size_t i = 0; i < session.criteria.size(); ++i) {
        // Each participant sees it a little differently; clean water stays on top for everyone.
        int base = spec.scores[i], score = base;
        if (std::string_view(spec.key) != "air" && draw.chance(0.5))
          score = std::clamp(base + draw.between(-1, 1), 1, 5);
        scores.push_back({ids.at(spec.key), session.criteria[i].id, score});
      }
    prioritisation::record_scores(c, s, session.id, prioritisation::participant(s, std::string(kScorers[k])),
                                  scores);
  }
  session = prioritisation::get(c, s, session.id);
  prioritisation::close(c, s, session.id, session.version);

  // The five highest, compared in pairs by the village's working group a week later.
  prioritisation::Input pw;
  pw.title = "Tim Perumus RKPDes: perbandingan berpasangan lima masalah teratas";
  pw.description = "Setiap anggota tim membandingkan setiap pasangan masalah sekali; seri diperbolehkan.";
  pw.held_on = std::optional<std::string>("2025-02-15");
  pw.method = "pairwise";
  std::vector<std::int64_t> top = {ids.at("air"), ids.at("stunting"), ids.at("sanitasi"),
                                   ids.at("pendapatan"), ids.at("jalan")};
  pw.problem_ids = top;
  auto pairwise = prioritisation::create(c, s, pw);
  const char* const voters[] = {"Markus Tanesib (Kepala Desa)", "Agustina Sanam (Ketua BPD)",
                                "Dorkas Nomleni (Ketua TP PKK)", "Maria Tefa (Pendamping Desa)"};
  for (std::size_t v = 0; v < std::size(voters); ++v) {
    std::vector<prioritisation::VoteInput> votes;
    for (std::size_t a = 0; a < top.size(); ++a)
      for (std::size_t b = a + 1; b < top.size(); ++b) {
        // The list is in the group's order of preference, with some dissent: the PKK chair holds
        // stunting as pressing as water, the facilitator puts sanitation before stunting, and the
        // village head and the BPD chair put the road before income.
        auto winner = prioritisation::Winner::a;
        if (a == 0 && b == 1 && v == 2) winner = prioritisation::Winner::tie;
        if (a == 1 && b == 2 && v == 3) winner = prioritisation::Winner::b;
        if (a == 3 && b == 4 && (v == 0 || v == 1)) winner = prioritisation::Winner::b;
        votes.push_back({top[a], top[b], winner});
      }
    prioritisation::record_votes(c, s, pairwise.id, prioritisation::participant(s, std::string(voters[v])),
                                 votes);
  }
  pairwise = prioritisation::get(c, s, pairwise.id);
  prioritisation::close(c, s, pairwise.id, pairwise.version);
}

problem_tree::NodeInput node(const char* ref, const char* parent, const char* kind, const char* text,
                             const char* objective) {
  problem_tree::NodeInput n;
  n.ref = ref;
  if (parent) n.parent = std::string(parent);
  n.kind = kind;
  n.text = text;
  n.objective_text = std::string(objective);
  return n;
}

void water_tree(db::Connection& c, const OrgScope& s, std::int64_t problem_id) {
  std::vector<problem_tree::NodeInput> nodes = {
      node("inti", nullptr, "core",
           "Warga Desa Bosen sulit mendapat air minum bersih yang cukup sepanjang tahun",
           "Warga Desa Bosen mendapat air minum bersih yang cukup sepanjang tahun"),
      node("diare", "inti", "effect", "Banyak balita terkena diare dan berisiko stunting",
           "Kasus diare dan risiko stunting pada balita menurun"),
      node("waktu", "inti", "effect",
           "Perempuan dan anak menghabiskan berjam-jam setiap hari untuk memikul air",
           "Waktu perempuan dan anak untuk mengambil air berkurang"),
      node("sekolah", "waktu", "effect", "Anak terlambat atau tidak masuk sekolah karena mengambil air",
           "Anak tidak lagi terlambat ke sekolah karena mengambil air"),
      node("mata_air", "inti", "cause",
           "Mata air tidak terlindungi dan tidak ada jaringan pipa ke permukiman",
           "Mata air terlindungi dan air dialirkan ke keran umum di setiap dusun"),
      node("bak", "mata_air", "cause", "Tidak ada bak penangkap mata air dan pipa transmisi",
           "Bak penangkap dan pipa transmisi dibangun"),
      node("hulu", "mata_air", "cause", "Pohon di sekitar mata air ditebang",
           "Kawasan sekitar mata air dihijaukan kembali"),
      node("pengelola", "inti", "cause", "Tidak ada lembaga yang mengelola dan merawat sarana air",
           "BPSAB terbentuk, terlatih, dan merawat sarana air"),
      node("iuran", "pengelola", "cause", "Warga belum terbiasa membayar iuran perawatan",
           "Warga membayar iuran perawatan secara teratur"),
      node("perilaku", "inti", "cause", "Air minum diolah dan disimpan dengan cara yang kurang higienis",
           "Keluarga mengolah dan menyimpan air minum dengan aman dan mencuci tangan pakai sabun"),
      node("kader", "perilaku", "cause", "Penyuluhan PHBS oleh kader jarang dilakukan",
           "Kader PHBS aktif memberi penyuluhan di setiap dusun"),
  };
  auto p = problems::get(c, s, problem_id);
  problem_tree::replace(c, s, problem_id, p.tree_version, nodes);
}

std::int64_t stakeholder(db::Connection& c, const OrgScope& s, const char* kind, const char* name,
                         const char* type, int power, int interest, const char* notes,
                         std::optional<std::int64_t> organisation = std::nullopt, const char* position = "",
                         const char* phone = "") {
  stakeholders::Input in;
  in.kind = kind;
  in.name = name;
  in.type = type;
  in.power = std::optional<std::int64_t>(power);
  in.interest = std::optional<std::int64_t>(interest);
  in.notes = notes;
  in.position = position;
  in.phone = phone;
  if (organisation) in.organisation_id = organisation;
  return stakeholders::create(c, s, in).id;
}

std::map<std::string, std::int64_t> write_stakeholders(db::Connection& c, const OrgScope& s) {
  std::map<std::string, std::int64_t> m;
  m["desa"] =
      stakeholder(c, s, "organisation", "Pemerintah Desa Bosen", "village_government", 5, 5,
                  "Menetapkan RKPDes dan APBDes; menyediakan Dana Desa untuk bak penangkap dan jamban.");
  m["kades"] = stakeholder(c, s, "person", "Markus Tanesib", "village_government", 5, 5,
                           "Kepala Desa sejak 2022; memimpin musyawarah desa.", m["desa"], "Kepala Desa",
                           "0812-3700-1101");
  m["bpd"] = stakeholder(c, s, "organisation", "Badan Permusyawaratan Desa (BPD) Bosen", "village_government",
                         4, 4, "Mengawasi penggunaan Dana Desa dan menampung aspirasi warga.");
  m["pkk"] = stakeholder(c, s, "organisation", "TP PKK Desa Bosen", "community_group", 2, 5,
                         "Menggerakkan ibu-ibu untuk kelas ibu balita dan cuci tangan pakai sabun.");
  m["pdam"] = stakeholder(
      c, s, "organisation", "PDAM Kabupaten Timor Tengah Selatan", "government_office", 4, 2,
      "Membantu uji kualitas air dan memberi saran teknis perpipaan; belum melayani Mollo Utara.");
  m["pupr"] =
      stakeholder(c, s, "organisation", "Dinas PUPR Kabupaten Timor Tengah Selatan", "government_office", 5,
                  3, "Bidang Cipta Karya; dapat mendanai perluasan jaringan ke Dusun IV lewat APBD 2027.");
  m["dinkes"] = stakeholder(c, s, "organisation", "Dinas Kesehatan Kabupaten Timor Tengah Selatan",
                            "government_office", 4, 4, "Program STBM dan verifikasi desa ODF.");
  m["puskesmas"] = stakeholder(c, s, "organisation", "Puskesmas Kapan", "government_office", 3, 5,
                               "Sanitarian dan bidan desa; data e-PPGBM balita.");
  m["lsm"] = stakeholder(c, s, "organisation", "Perkumpulan Lakoat Air Mollo", "ngo", 3, 5,
                         "LSM lokal mitra pelaksana: pendampingan BPSAB, pemicuan STBM dan promosi PHBS.");
  m["yustina"] = stakeholder(c, s, "person", "Yustina Benu", "ngo", 3, 5, "Koordinator lapangan mitra.",
                             m["lsm"], "Koordinator Lapangan", "0813-3900-2207");
  m["donor"] =
      stakeholder(c, s, "organisation", "Yayasan Tirta Nusantara", "donor", 5, 4,
                  "Hibah 2025–2027 untuk jaringan air, pelatihan dan monitoring; laporan setiap semester.");
  m["bpsab"] =
      stakeholder(c, s, "organisation", "BPSAB Oe Mollo", "community_group", 2, 5,
                  "Badan Pengelola Sarana Air Bersih desa, dibentuk November 2025; memungut iuran Rp 5.000 "
                  "per rumah tangga per bulan.");
  m["undana"] = stakeholder(c, s, "organisation", "FKM Universitas Nusa Cendana", "academic", 2, 3,
                            "Membantu merancang survei baseline dan endline.");
  m["media"] = stakeholder(c, s, "organisation", "Radio Komunitas Suara Mollo", "media", 1, 2,
                           "Menyiarkan jadwal pelatihan dan pengumuman BPSAB.");
  return m;
}

std::int64_t result_node(db::Connection& c, const OrgScope& s, std::int64_t program_id,
                         std::map<std::string, std::int64_t>& nodes, const char* code, const char* parent,
                         const char* title, const char* narrative, const char* assumptions, const char* risks,
                         std::vector<std::int64_t> problems) {
  results::NodeInput in;
  if (parent) in.parent_id = std::optional<std::int64_t>(nodes.at(parent));
  in.code = code;
  in.title = title;
  in.narrative = narrative;
  in.assumptions = assumptions;
  in.risks = risks;
  in.problem_ids = std::move(problems);
  return nodes[code] = results::create_node(c, s, program_id, in).id;
}

void framework(db::Connection& c, const OrgScope& s, Design& d) {
  const auto& p = d.problems;
  auto& n = d.nodes;
  const std::int64_t id = d.program_id;
  result_node(
      c, s, id, n, "G", nullptr,
      "Derajat kesehatan warga Desa Bosen meningkat berkat air minum aman dan lingkungan bersih",
      "Diare pada balita berkurang dan waktu yang dulu habis untuk memikul air dipakai untuk kebun, sekolah "
      "dan keluarga.",
      "Pemerintah desa dan kabupaten tetap memprioritaskan air dan sanitasi dalam RKPDes dan RPJMD.",
      "Kemarau panjang (El Niño) menurunkan debit mata air.", {p.at("air"), p.at("stunting")});
  result_node(c, s, id, n, "O1", "G",
              "Rumah tangga memakai air minum layak yang dekat dan cukup sepanjang tahun",
              "Layanan air minum dasar (JMP): sumber terlindung, kurang dari 30 menit pulang-pergi.",
              "Warga bersedia membayar iuran dan menjaga keran umum.",
              "Kerusakan pipa tidak segera diperbaiki; sengketa lahan di jalur pipa.", {p.at("air")});
  result_node(c, s, id, n, "OP1.1", "O1", "Mata air terlindungi dan 12 keran umum di Dusun I–III berfungsi",
              "Bak penangkap mata air Oelbubuk, pipa transmisi 4,2 km dan 12 keran umum.",
              "Pemilik lahan di sekitar mata air menghibahkan lahan (sudah ada surat hibah).",
              "Harga pipa HDPE naik; keterlambatan pengiriman material di musim hujan.", {p.at("air")});
  result_node(c, s, id, n, "A1.1.1", "OP1.1", "Perlindungan mata air Oelbubuk dan pembangunan bak penangkap",
              "", "", "", {});
  result_node(c, s, id, n, "A1.1.2", "OP1.1", "Pemasangan pipa transmisi dan 12 keran umum di Dusun I–III",
              "Titik keran ditentukan dalam musyawarah dusun.", "", "", {});
  result_node(c, s, id, n, "A1.1.3", "OP1.1", "Perluasan jaringan ke Dusun IV Nenas (tahap 2, 2027)",
              "Dusun IV menjadi pembanding dalam evaluasi sampai jaringan sampai di sana.",
              "Dinas PUPR menganggarkan perluasan dalam APBD 2027.", "", {});
  result_node(c, s, id, n, "OP1.2", "O1", "BPSAB terbentuk, terlatih, dan memungut iuran perawatan",
              "Pengurus BPSAB (ketua, bendahara, 2 teknisi) dan buku kas iuran.", "",
              "Iuran tidak dibayar rutin.", {p.at("air")});
  result_node(c, s, id, n, "A1.2.1", "OP1.2",
              "Pembentukan dan pelatihan BPSAB (operasi, perawatan, pembukuan)", "", "", "", {});
  result_node(c, s, id, n, "O2", "G", "Rumah tangga memakai jamban sehat dan Desa Bosen menuju ODF",
              "Pemicuan STBM dan bantuan material untuk rumah tangga miskin.",
              "Rumah tangga membangun jamban dengan swadaya setelah pemicuan.",
              "Tanah berbatu menyulitkan penggalian.", {p.at("sanitasi")});
  result_node(c, s, id, n, "OP2.1", "O2", "Rumah tangga terpicu STBM dan membangun jamban sehat", "", "", "",
              {p.at("sanitasi")});
  result_node(c, s, id, n, "A2.1.1", "OP2.1", "Pemicuan STBM di setiap dusun", "", "", "", {});
  result_node(c, s, id, n, "A2.1.2", "OP2.1",
              "Distribusi kloset leher angsa dan semen untuk rumah tangga miskin", "", "", "", {});
  result_node(c, s, id, n, "O3", "G",
              "Keluarga dengan balita mencuci tangan pakai sabun dan mengolah air minum",
              "Perubahan perilaku lewat kader Posyandu, PKK dan kelas ibu balita.",
              "Sabun tersedia di kios desa.", "", {p.at("stunting")});
  result_node(c, s, id, n, "OP3.1", "O3", "Kader PHBS terlatih dan rumah tangga memiliki tempat cuci tangan",
              "", "", "", {p.at("stunting")});
  result_node(c, s, id, n, "A3.1.1", "OP3.1", "Pelatihan kader PHBS dan kelas ibu balita", "", "", "", {});
  result_node(c, s, id, n, "A3.1.2", "OP3.1", "Distribusi tempat cuci tangan dan sabun", "", "", "", {});
}

engagements::FollowUpInput follow_up(const char* text, const char* due, bool done, std::int64_t owner) {
  engagements::FollowUpInput f;
  f.description = text;
  f.due_date = due;
  f.status = done ? "done" : "open";
  f.owner_user_id = std::optional<std::int64_t>(owner);
  return f;
}

void engagement(db::Connection& c, const OrgScope& s, const char* kind, const char* held_on,
                const char* subject, const char* notes, std::optional<std::int64_t> program,
                std::vector<std::int64_t> with, std::vector<std::int64_t> users,
                std::vector<engagements::FollowUpInput> follow_ups) {
  engagements::Input in;
  in.kind = kind;
  in.held_on = held_on;
  in.subject = subject;
  in.notes = notes;
  in.program_id = program;
  in.stakeholder_ids = std::move(with);
  in.user_ids = std::move(users);
  in.follow_ups = std::move(follow_ups);
  engagements::create(c, s, in);
}

void engagement_log(db::Connection& c, const People& who, const Design& d) {
  const OrgScope& s = who.coordinator;
  const auto& st = d.stakeholders;
  const std::int64_t me = who.coordinator_id;
  const auto program = std::optional<std::int64_t>(d.program_id);
  engagement(c, s, "meeting", "2025-02-08", "Musyawarah Desa: pemeringkatan masalah",
             "Hadir 64 warga (27 perempuan). Air bersih disepakati sebagai prioritas pertama RKPDes 2025.",
             std::nullopt, {st.at("desa"), st.at("bpd"), st.at("pkk")}, {me},
             {follow_up("Kirim berita acara musyawarah ke Pemerintah Desa", "2025-02-14", true, me)});
  engagement(c, s, "mou", "2025-03-20", "Penandatanganan nota kesepahaman program",
             "Yayasan Tirta Nusantara, Pemerintah Desa Bosen dan Perkumpulan Lakoat Air Mollo menandatangani "
             "MoU 2025–2027: hibah Rp 900 juta, Dana Desa untuk bak penangkap dan jamban.",
             program, {st.at("donor"), st.at("desa"), st.at("lsm")}, {me},
             {follow_up("Unggah salinan MoU yang ditandatangani", "2025-03-27", true, me),
              follow_up("Laporan semester pertama ke donor", "2025-09-30", true, me)});
  engagement(
      c, s, "letter", "2025-04-15", "Surat permohonan dukungan perluasan jaringan ke Dusun IV",
      "Desa meminta Dinas PUPR menganggarkan pipa dan 4 keran umum untuk Dusun IV Nenas di APBD 2027.",
      program, {st.at("pupr"), st.at("desa")}, {me},
      {follow_up("Tanyakan hasil Musrenbang Kabupaten ke Bidang Cipta Karya", "2026-12-15", false, me)});
  engagement(
      c, s, "meeting", "2025-11-08", "Pembentukan BPSAB Oe Mollo",
      "Pengurus dipilih dalam rapat warga; iuran disepakati Rp 5.000 per rumah tangga per bulan, keringanan "
      "untuk lansia dan janda diputuskan pengurus.",
      program, {st.at("bpsab"), st.at("desa"), st.at("lsm")}, {me, who.partner_id},
      {follow_up("Surat keputusan Kepala Desa tentang BPSAB", "2025-11-30", true, who.partner_id)});
  engagement(c, s, "visit", "2026-06-05", "Kunjungan bersama Dinas Kesehatan dan Puskesmas: verifikasi STBM",
             "Dusun I dan II hampir ODF; Dusun III masih ada 18 rumah tangga BABS. Verifikasi ODF "
             "dijadwalkan ulang.",
             program, {st.at("dinkes"), st.at("puskesmas")}, {me},
             {follow_up("Pemicuan ulang di Dusun III bersama sanitarian", "2026-08-31", true, who.partner_id),
              follow_up("Ajukan jadwal verifikasi ODF ke Dinas Kesehatan", "2026-11-20", false, me)});
  engagement(c, s, "call", "2026-10-14", "Uji kualitas air keran umum",
             "PDAM bersedia menguji sampel air dari 3 keran umum (E. coli dan kekeruhan) bulan Desember.",
             program, {st.at("pdam")}, {me},
             {follow_up("Antar sampel air ke laboratorium PDAM", "2026-12-05", false, me)});
}

}  // namespace

std::optional<std::int64_t> find_program(db::Connection& c, std::int64_t org_id) {
  return c.query_int(
      "SELECT id FROM programs WHERE org_id = $1 AND name = $2 AND deleted_at IS NULL ORDER BY id LIMIT 1",
      {org_id, std::string(kProgramName)});
}

Design write_design(db::Connection& c, const People& who, const Place& where) {
  Design d;
  const OrgScope& s = who.coordinator;
  std::vector<std::int64_t> order;
  for (const auto& spec : problem_specs()) {
    problems::Input in;
    in.title = spec.title;
    in.description = spec.description;
    in.source = spec.source;
    in.status = "open";
    in.area_id = std::optional<std::int64_t>(
        spec.dusun ? where.dusun[static_cast<std::size_t>(spec.dusun - 1)] : where.village_id);
    in.affected_groups = spec.groups;
    in.sdg_goals = spec.sdgs;
    in.sectors = spec.sectors;
    order.push_back(d.problems[spec.key] = problems::create(c, s, in).id);
  }
  auto evidence = [&](const char* key, const char* field, const char* note) {
    problems::EvidenceInput e;
    e.kind = "form_field";
    e.form_id = where.form_id;
    e.reference = field;
    e.note = note;
    problems::add_evidence(c, s, d.problems.at(key), e);
  };
  evidence("air", "water_source", "Baseline Maret–April 2025: sumber air minum utama rumah tangga.");
  evidence("air", "water_time", "Waktu pulang-pergi mengambil air.");
  evidence("sanitasi", "latrine", "Jenis jamban yang dipakai rumah tangga.");
  evidence("sekolah", "m_school", "Anggota rumah tangga 6–18 tahun yang bersekolah.");
  problems::EvidenceInput doc;
  doc.kind = "document";
  doc.reference = "Rekap e-PPGBM Puskesmas Kapan, Agustus 2024";
  doc.note = "Prevalensi stunting balita Desa Bosen 38,6%.";
  problems::add_evidence(c, s, d.problems.at("stunting"), doc);
  problems::EvidenceInput ba;
  ba.kind = "document";
  ba.reference = "Berita Acara Musyawarah Desa Bosen No. 03/BA/II/2025";
  ba.note = "Daftar masalah dan hasil pemeringkatan.";
  problems::add_evidence(c, s, d.problems.at("air"), ba);

  prioritise(c, who, d.problems, order);
  water_tree(c, s, d.problems.at("air"));
  d.stakeholders = write_stakeholders(c, s);

  programs::Input in;
  in.name = kProgramName;
  in.description =
      "Program tiga tahun Yayasan Air Sehat Timor bersama Pemerintah Desa Bosen dan Perkumpulan Lakoat Air "
      "Mollo: "
      "melindungi mata air Oelbubuk, mengalirkan air ke 12 keran umum di Dusun I–III (Dusun IV Nenas "
      "menyusul "
      "2027), membentuk BPSAB, memicu STBM dan mempromosikan cuci tangan pakai sabun. Baseline Maret–April "
      "2025, endline September–Oktober 2026.";
  in.start_date = "2025-01-01";
  in.end_date = "2027-12-31";
  in.status = "active";
  in.currency = "IDR";
  in.area_ids = where.dusun;
  in.problem_ids =
      std::vector<std::int64_t>{d.problems.at("air"), d.problems.at("sanitasi"), d.problems.at("stunting")};
  const auto& st = d.stakeholders;
  in.stakeholders =
      std::vector<std::pair<std::int64_t, std::string>>{{st.at("donor"), "donor"},
                                                        {st.at("lsm"), "implementing_partner"},
                                                        {st.at("desa"), "government_counterpart"},
                                                        {st.at("pupr"), "government_counterpart"},
                                                        {st.at("dinkes"), "government_counterpart"},
                                                        {st.at("puskesmas"), "government_counterpart"},
                                                        {st.at("bpsab"), "beneficiary_group"},
                                                        {st.at("pkk"), "beneficiary_group"},
                                                        {st.at("pdam"), "other"}};
  d.program_id = programs::create(c, s, in).program.id;
  framework(c, s, d);
  programs::share(c, s, d.program_id, who.partner_id);
  engagement_log(c, who, d);
  return d;
}

}  // namespace gotong::domain::demo_workspace::detail
