// Export benchmark: how fast the CSV export of a big form runs and whether its memory stays flat.
// It builds a SQLite database in a temporary directory with the household survey of
// bench/data/household_survey.xml (40 questions, 8 of them in a repeat of household members)
// and --submissions generated submissions (1 to 7 members each, 4 on average), stored as
// receive() stores them: the XML plus the record made by forms::xform::encode_record, inserted
// in large transactions. It prints the cost of read_submission and encode_record per submission,
// then times each export (CSV zip by default) read through exports::start() exactly as the HTTP
// route streams it, with the rows per second and the resident memory before, during and after.
//
// Run: build/release/bench_export [--submissions 1000000] [--formats csv,json,xlsx]
//      [--page-size 1000] [--out DIR] [--keep] [--reuse DIR]
// --keep leaves the database in place and prints where; --reuse DIR exports from such a kept
// database again without building it (for profiling).
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "domain/accounts.hpp"
#include "domain/areas.hpp"
#include "domain/exports.hpp"
#include "domain/forms.hpp"
#include "forms/xform/record.hpp"

namespace {

namespace fs = std::filesystem;
namespace xform = gotong::forms::xform;
using namespace gotong;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long current_rss_kb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

[[noreturn]] void die(const std::string& message) {
  std::cerr << "bench_export: " << message << "\n";
  std::exit(1);
}

struct Args {
  long submissions = 1000000;
  std::string formats = "csv";
  int page_size = 1000;
  std::string out;  // write the exports there (default: count and drop)
  bool keep = false;
  std::string reuse;  // a directory kept by --keep
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--submissions")
      a.submissions = std::stol(value());
    else if (arg == "--formats")
      a.formats = value();
    else if (arg == "--page-size")
      a.page_size = std::stoi(value());
    else if (arg == "--out")
      a.out = value();
    else if (arg == "--keep")
      a.keep = true;
    else if (arg == "--reuse")
      a.reuse = value();
    else
      die("unknown argument " + arg + " (see the comment at the top of bench/export_bench.cpp)");
  }
  return a;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Generated answers, varied like real ones: Indonesian names (some with commas and apostrophes),
// codes, dates, coordinates, multiple choices, now and then a note with quotes and a new line.
class Generator {
 public:
  explicit Generator(const xform::Schema& schema) : schema_(schema), rng_(20261128) {}

  std::string xml(long i, int& members) {
    std::string x;
    x.reserve(3000);
    x += "<survei_rt xmlns:jr=\"http://openrosa.org/javarosa\" id=\"survei_rt\" version=\"2026112801\">";
    int day = 1 + static_cast<int>(i % 28);
    std::string date = "2026-11-" + two(day);
    tag(x, "start", date + "T08:" + two(pick(60)) + ":00.000+08:00");
    tag(x, "end", date + "T09:" + two(pick(60)) + ":00.000+08:00");
    tag(x, "enumerator", kNames[pick(kNames.size())]);
    tag(x, "interview_date", date);
    tag(x, "area", "53.02.03.20" + two(1 + pick(12)));
    tag(x, "dusun", "Dusun " + std::string(1, static_cast<char>('A' + pick(6))));
    tag(x, "rw", std::to_string(1 + pick(8)));
    tag(x, "rt", std::to_string(1 + pick(20)));
    tag(x, "gps",
        "-9." + digits(6) + " 124." + digits(6) + " " + std::to_string(400 + pick(600)) + ".0 " +
            std::to_string(3 + pick(15)) + ".0");
    tag(x, "kk_number", "5302" + digits(12));
    tag(x, "head_name", kNames[pick(kNames.size())]);
    tag(x, "head_nik", "5302" + digits(12));
    tag(x, "head_sex", choice("/survei_rt/head_sex"));
    tag(x, "head_age", std::to_string(20 + pick(60)));
    tag(x, "head_education", choice("/survei_rt/head_education"));
    tag(x, "head_occupation", choice("/survei_rt/head_occupation"));
    tag(x, "phone", pick(3) ? "08" + digits(10) : "");
    members = 1 + pick(7);
    tag(x, "hh_size", std::to_string(members));
    x += "<house>";
    for (const char* f : {"floor", "wall", "roof", "water", "toilet", "electricity", "fuel"})
      tag(x, f, choice(std::string("/survei_rt/house/") + f));
    x += "</house><economy>";
    tag(x, "income", std::to_string(500000 + 50000 * pick(150)));
    tag(x, "assets", choices("/survei_rt/economy/assets"));
    tag(x, "programs", choices("/survei_rt/economy/programs"));
    tag(x, "land_ha", std::to_string(pick(5)) + "." + two(pick(100)));
    tag(x, "livestock", choices("/survei_rt/economy/livestock"));
    tag(x, "food_security", choice("/survei_rt/economy/food_security"));
    x += "</economy>";
    for (int m = 0; m < members; ++m) {
      x += "<member>";
      tag(x, "name", kNames[pick(kNames.size())]);
      tag(x, "sex", choice("/survei_rt/member/sex"));
      tag(x, "age", std::to_string(pick(80)));
      tag(x, "relation", m == 0 ? std::string("head") : choice("/survei_rt/member/relation"));
      tag(x, "education", choice("/survei_rt/member/education"));
      tag(x, "works", choice("/survei_rt/member/works"));
      tag(x, "disability", pick(10) ? std::string("none") : choice("/survei_rt/member/disability"));
      tag(x, "school", choice("/survei_rt/member/school"));
      x += "</member>";
    }
    tag(x, "notes", pick(5) ? "" : "Rumah \"panggung\", dekat mata air;\nperlu dikunjungi lagi");
    char id[64];
    std::snprintf(id, sizeof id, "uuid:00000000-0000-4000-8000-%012ld", i);
    x += "<meta><instanceID>";
    x += id;
    x += "</instanceID></meta></survei_rt>";
    return x;
  }

 private:
  int pick(std::size_t n) { return static_cast<int>(rng_() % n); }
  static std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }
  std::string digits(int n) {
    std::string s;
    for (int k = 0; k < n; ++k) s.push_back(static_cast<char>('0' + pick(10)));
    return s;
  }
  static void tag(std::string& x, std::string_view name, std::string_view value) {
    x += '<';
    x += name;
    x += '>';
    for (char ch : value) {  // escape what XML needs
      if (ch == '<')
        x += "&lt;";
      else if (ch == '&')
        x += "&amp;";
      else
        x += ch;
    }
    x += "</";
    x += name;
    x += '>';
  }
  const std::vector<xform::Choice>& list(const std::string& path) {
    const xform::Node* n = schema_.find(path);
    if (!n || n->choices.empty()) die("the benchmark form has no choices at " + path);
    return n->choices;
  }
  std::string choice(const std::string& path) {
    const auto& c = list(path);
    return c[static_cast<std::size_t>(pick(c.size()))].value;
  }
  std::string choices(const std::string& path) {
    std::string out;
    for (const auto& c : list(path))
      if (pick(3) == 0) out += (out.empty() ? "" : " ") + c.value;
    return out;
  }

  static inline const std::vector<std::string> kNames = {"Yohanes Nope",
                                                         "Maria Tefa",
                                                         "Ma'ruf Amin",
                                                         "Ni Luh Putu Ayu",
                                                         "Siti Nurhaliza",
                                                         "Agus Salim",
                                                         "Fransiskus Nenobais, S.Pd",
                                                         "Dewi Lestari",
                                                         "I Made Sukarta",
                                                         "Yosefina Bani",
                                                         "Budi Santoso",
                                                         "Oktovianus Taneo",
                                                         "Wayan Ṣuarta",
                                                         "Rahmawati",
                                                         "Petrus Kase",
                                                         "Hj. Nur'aini",
                                                         "Andreas Boimau",
                                                         "Elisabeth Nomleni",
                                                         "Samuel Benu",
                                                         "Kristina Sau"};
  const xform::Schema& schema_;
  std::mt19937 rng_;
};

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  crypto::init();
  const std::string form_xml = read_file(std::string(GOTONG_SOURCE_DIR) + "/bench/data/household_survey.xml");
  const xform::Schema schema = xform::read_schema(form_xml);
  const xform::Layout layout = xform::layout_of(schema);

  fs::path dir = args.reuse.empty()
                     ? fs::temp_directory_path() / ("gotong-export-bench-" + std::to_string(::getpid()))
                     : fs::path(args.reuse);
  fs::create_directories(dir);
  std::cout << "database: " << (dir / "bench.db").string() << "\n";
  auto db = db::open("sqlite:" + (dir / "bench.db").string());
  std::int64_t form_id = 0;
  std::optional<domain::OrgScope> scope;
  long repeat_rows = 0;
  if (!args.reuse.empty()) {
    db->read([&](db::Connection& c) {
      auto org = c.query_one("SELECT id FROM organisations WHERE slug = 'bench'");
      if (!org) die("no benchmark database in " + args.reuse);
      scope = domain::OrgScope::for_cli(org->int_at(0), "bench");
      form_id = c.query_int("SELECT id FROM forms WHERE org_id = $1", {org->int_at(0)}).value_or(0);
      args.submissions = c.query_int("SELECT count(*) FROM submissions").value_or(0);
    });
    // Repeat rows, for the rows/s figure: one row separator (0x1E) each.
    db->read([&](db::Connection& c) {
      repeat_rows =
          c.query_int("SELECT sum(length(record) - length(replace(record, char(30), ''))) FROM submissions")
              .value_or(0);
    });
  }
  if (args.reuse.empty()) {
    auto steps = db::embedded_migrations();
    steps.push_back(domain::areas::regions_migration());
    db::migrate(*db, steps);
  }

  // An organisation, five field officers, the form published.
  std::vector<std::int64_t> users;
  std::int64_t version_id = 0;
  const std::string hash = args.reuse.empty() ? crypto::hash_password("bench password") : std::string();
  if (args.reuse.empty())
    db->write([&](db::Connection& c) {
      auto org = domain::accounts::create_organisation(c, domain::Actor::cli(), "bench", "Bench");
      scope = domain::OrgScope::for_cli(org.id, org.slug);
      for (int u = 0; u < 5; ++u) {
        auto user = domain::accounts::create_user(c, domain::Actor::cli(),
                                                  "petugas" + std::to_string(u) + "@bench.id",
                                                  "Petugas " + std::to_string(u), hash);
        domain::accounts::add_member(c, *scope, user.id, domain::Role::field_officer);
        users.push_back(user.id);
      }
      auto upload = domain::forms::make_upload("household_survey.xml", form_xml);
      form_id = domain::forms::save_draft(c, *scope, upload).id;
      auto f = domain::forms::publish(c, *scope, form_id);
      version_id = f.published->id;
    });

  // Submissions, in transactions of 5,000.
  const auto setup_start = Clock::now();
  Generator gen(schema);
  double parse_s = 0, encode_s = 0;
  std::size_t xml_bytes = 0, record_bytes = 0;
  struct Pending {
    std::string id, xml, record, area;
    std::int64_t at, submitter;
  };
  std::vector<Pending> batch;
  const std::int64_t base_time = 1795651200000;  // 2026-11-26T00:00:00Z
  const std::string sql =
      "INSERT INTO submissions(org_id, form_id, version_id, instance_id, current_instance_id, "
      "content_digest, "
      "state, issues_json, record, submitter_id, device_id, source, area_code, submitted_at, "
      "updated_at) "
      "VALUES ($1,$2,$3,$4,$4,'bench','received','[]',$5,$6,'collect:bench','bench',$7,$8,$8) RETURNING id";
  const std::string xml_sql = "INSERT INTO submission_xml(submission_id, org_id, xml) VALUES ($1,$2,$3)";
  auto flush = [&] {
    db->write([&](db::Connection& c) {
      for (const auto& p : batch) {
        auto id = c.query_int(sql, {scope->org_id(), form_id, version_id, p.id, p.record, p.submitter, p.area, p.at});
        c.exec(xml_sql, {*id, scope->org_id(), p.xml});
      }
    });
    batch.clear();
  };
  for (long i = 0; args.reuse.empty() && i < args.submissions; ++i) {
    int members = 0;
    Pending p;
    p.xml = gen.xml(i, members);
    repeat_rows += members;
    auto t0 = Clock::now();
    xform::Submission sub = xform::read_submission(p.xml);
    auto t1 = Clock::now();
    p.record = xform::encode_record(schema, layout, sub);
    auto t2 = Clock::now();
    parse_s += std::chrono::duration<double>(t1 - t0).count();
    encode_s += std::chrono::duration<double>(t2 - t1).count();
    xml_bytes += p.xml.size();
    record_bytes += p.record.size();
    p.id = sub.instance_id;
    p.area = std::string(xform::main_value(
        p.record, layout.column_of[static_cast<std::size_t>(schema.index_of("/survei_rt/area"))]));
    p.at = base_time + i * 50;
    p.submitter = users[static_cast<std::size_t>(i % 5)];
    batch.push_back(std::move(p));
    if (batch.size() == 5000) flush();
  }
  if (!batch.empty()) flush();
  batch.shrink_to_fit();
  const double setup_s = seconds_since(setup_start);
  const double n = static_cast<double>(std::max(1L, args.submissions));
  if (args.reuse.empty()) {
    std::printf("setup: %ld submissions (%ld repeat rows) in %.1f s\n", args.submissions, repeat_rows,
                setup_s);
    std::printf("  XML %.0f bytes, record %.0f bytes per submission on average\n", xml_bytes / n,
                record_bytes / n);
    std::printf(
        "  read_submission %.2f us, encode_record %.2f us per submission (%.0f encodes/s on one core)\n",
        parse_s / n * 1e6, encode_s / n * 1e6, n / std::max(encode_s, 1e-9));
  }
  std::printf("  database file %.0f MB\n", static_cast<double>(fs::file_size(dir / "bench.db")) / 1e6);

  // The exports.
  std::stringstream formats(args.formats);
  std::string name;
  while (std::getline(formats, name, ',')) {
    domain::exports::Format format = name == "csv"    ? domain::exports::Format::csv_zip
                                     : name == "json" ? domain::exports::Format::json
                                     : name == "xlsx"
                                         ? domain::exports::Format::xlsx
                                         : (die("unknown format " + name), domain::exports::Format::csv_zip);
    domain::exports::Options options;
    options.page_size = args.page_size;
    const long rss_before = current_rss_kb(), peak_before = peak_rss_kb();
    long rss_max = rss_before;
    std::FILE* out = nullptr;
    std::string out_path;
    if (!args.out.empty()) {
      fs::create_directories(args.out);
      auto e = domain::exports::start(*db, *scope, form_id, format, options);
      out_path = (fs::path(args.out) / e.file_name).string();
      out = std::fopen(out_path.c_str(), "wb");
      if (!out) die("cannot write " + out_path);
    }
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    auto e = domain::exports::start(*db, *scope, form_id, format, options);
    std::string piece;
    std::uint64_t bytes = 0;
    long calls = 0;
    for (bool more = true; more;) {
      piece.clear();
      // As the server does: pieces of about 64 KiB, then a network write.
      while (piece.size() < 64 * 1024 && (more = e.next(piece))) {
      }
      bytes += piece.size();
      if (out && std::fwrite(piece.data(), 1, piece.size(), out) != piece.size()) die("write failed");
      if (++calls % 64 == 0) rss_max = std::max(rss_max, current_rss_kb());
    }
    const double s = seconds_since(start);
    const double cpu = cpu_seconds() - cpu_start;
    if (out) std::fclose(out);
    const double rows = n + static_cast<double>(repeat_rows);
    std::printf(
        "export %s: %.2f s, %.0f rows/s (%.0f submissions/s + their %ld repeat rows), %.1f MB out%s%s\n",
        name.c_str(), s, rows / s, n / s, repeat_rows, static_cast<double>(bytes) / 1e6, out ? " → " : "",
        out_path.c_str());
    std::printf("  CPU time %.2f s (user + system, all threads): %.0f rows per CPU second\n", cpu,
                rows / cpu);
    std::printf(
        "  resident memory: %.1f MB before, at most %.1f MB during, %.1f MB after; "
        "peak RSS (getrusage) %.1f MB before, %.1f MB after\n",
        rss_before / 1024.0, rss_max / 1024.0, current_rss_kb() / 1024.0, peak_before / 1024.0,
        peak_rss_kb() / 1024.0);
  }

  db->close();
  if (!args.keep && args.reuse.empty())
    fs::remove_all(dir);
  else
    std::cout << "kept " << dir.string() << "\n";
  return 0;
}
