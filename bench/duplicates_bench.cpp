// Duplicate detection benchmark (issue: 100,000 participants in under 1 s). It builds a SQLite
// database in a temporary directory with the real migrations (regions included) and
// --participants generated participants of one organisation: Indonesian first and family names,
// birth years 1940–2020, villages of Kabupaten Timor Tengah Selatan, a NIK digest for two in
// three, plus planted duplicates (1 % registered again with the same NIK under another spelling,
// 1 % again with the same name, birth year and village). It then times
// participants::find_candidates (the SQL grouping and the pairing pass) and the first page of
// participants::duplicates (what GET /participant-duplicates runs: candidates plus the pairs'
// records and attendance counts), each a few times, and prints the figures.
//
// Run: build/release/bench_duplicates [--participants 100000] [--runs 5] [--keep]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/batch_insert.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "domain/accounts.hpp"
#include "domain/migration_steps.hpp"
#include "domain/participants.hpp"

namespace {

namespace fs = std::filesystem;
using namespace gotong;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

[[noreturn]] void die(const std::string& message) {
  std::cerr << "bench_duplicates: " << message << "\n";
  std::exit(1);
}

const char* const kFirst[] = {
    "Maria",     "Yohanes",  "Yosef",      "Agustinus", "Fransiska", "Kornelis", "Yuliana",    "Daniel",
    "Marta",     "Petrus",   "Paulus",     "Elisabet",  "Yakobus",   "Ana",      "Simon",      "Veronika",
    "Markus",    "Katarina", "Stefanus",   "Theresia",  "Aleksius",  "Agnes",    "Benediktus", "Rosalia",
    "Dominikus", "Yustina",  "Florentina", "Matias",    "Lusia",     "Gabriel",  "Sesilia",    "Antonius",
    "Margareta", "Hendrik",  "Regina",     "Wilhelmus", "Dewi",      "Siti",     "Ahmad",      "Budi",
    "Nur",       "Putri",    "Rina",       "Made",      "Wayan"};
const char* const kFamily[] = {
    "Tefa",  "Benu",     "Sanam", "Nenobais", "Bani",   "Lake",      "Nope",    "Tanu", "Selan",    "Kolo",
    "Taneo", "Liu",      "Missa", "Tualaka",  "Boimau", "Nubatonis", "Oematan", "Toto", "Neonub",   "Tse",
    "Faot",  "Sae",      "Kase",  "Nitbani",  "Pah",    "Mnao",      "Tapatab", "Lopo", "Fallo",    "Obe",
    "Nino",  "Banunaek", "Atok",  "Nomleni",  "Sabat",  "Tamelab",   "Leu",     "Meko", "Naitboho", "Seran"};

struct Args {
  long participants = 100000;
  int runs = 5;
  bool keep = false;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--participants")
      a.participants = std::stol(value());
    else if (arg == "--runs")
      a.runs = std::stoi(value());
    else if (arg == "--keep")
      a.keep = true;
    else
      die("unknown argument " + arg + " (see the comment at the top of bench/duplicates_bench.cpp)");
  }
  if (a.participants < 2 || a.runs < 1) die("--participants must be at least 2 and --runs at least 1");
  return a;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  crypto::init();
  const fs::path dir = fs::temp_directory_path() / ("gotong-duplicates-bench-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto db = db::open("sqlite:" + (dir / "bench.db").string());

  auto t = Clock::now();
  db::migrate(*db, domain::migration_steps());
  std::printf("migrated (regions included) in %.0f ms\n", ms_since(t));

  std::int64_t org = 0;
  std::vector<std::int64_t> villages;
  db->write([&](db::Connection& c) {
    org = domain::accounts::create_organisation(c, domain::Actor::cli(), "bench", "Bench").id;
    for (const auto& r : c.query("SELECT id FROM areas WHERE level = 4 AND code LIKE '53.02.%' ORDER BY id"))
      villages.push_back(r.int_at(0));
  });
  if (villages.empty()) die("no villages of Kabupaten Timor Tengah Selatan in the regions list");

  // One write job: the rows are the fixture, not what is measured.
  t = Clock::now();
  std::mt19937_64 rng(20261129);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::string salt = crypto::random_hex(32);
  long planted_nik = 0, planted_name = 0;
  db->write([&](db::Connection& c) {
    db::BatchInsert insert(
        c,
        "INSERT INTO participants(org_id, name, name_key, sex, birth_year, disability, area_id, "
        "village_id, phone, nik_hash, created_at, updated_at)",
        12);
    struct Person {
      std::string name;
      int year = 0;
      std::int64_t village = 0;
      std::string nik_hash;
    };
    std::vector<Person> made;
    made.reserve(static_cast<std::size_t>(args.participants));
    for (long i = 0; i < args.participants; ++i) {
      Person p;
      const std::size_t roll = pick(100);
      if (!made.empty() && roll == 0) {
        // Registered again at another event with the same NIK, the name typed differently.
        p = made[pick(made.size())];
        p.name = p.name + " " + kFamily[pick(std::size(kFamily))];
        ++planted_nik;
      } else if (!made.empty() && roll == 1) {
        // Registered again without a NIK: same name, birth year and village.
        p = made[pick(made.size())];
        p.nik_hash.clear();
        ++planted_name;
      } else {
        p.name = std::string(kFirst[pick(std::size(kFirst))]) + " " + kFamily[pick(std::size(kFamily))];
        p.year = 1940 + static_cast<int>(pick(81));
        p.village = villages[pick(villages.size())];
        if (pick(3)) {
          std::string nik = "5302";
          for (int k = 0; k < 12; ++k) nik.push_back(static_cast<char>('0' + pick(10)));
          p.nik_hash = crypto::keyed_digest(nik, salt);
        }
      }
      insert.add({org, p.name, domain::participants::name_key(p.name), pick(2) ? "female" : "male", p.year,
                  "unknown", p.village, p.village, "",
                  p.nik_hash.empty() ? db::Value() : db::Value(p.nik_hash), static_cast<std::int64_t>(0),
                  static_cast<std::int64_t>(0)});
      made.push_back(std::move(p));
    }
    insert.flush();
    c.exec("INSERT INTO participant_salts(org_id, salt, created_at) VALUES ($1, $2, 0)", {org, salt});
  });
  db->write([](db::Connection& c) { c.exec("ANALYZE"); });
  std::printf("%ld participants (%ld planted again by NIK, %ld by name + birth year + village) in %.0f ms\n",
              args.participants, planted_nik, planted_name, ms_since(t));

  const auto scope = domain::OrgScope::for_cli(org, "bench");
  std::vector<double> candidates_ms, page_ms;
  std::size_t pairs = 0, by_nik = 0, by_name = 0;
  for (int run = 0; run < args.runs; ++run) {
    t = Clock::now();
    auto found =
        db->read_value([&](db::Connection& c) { return domain::participants::find_candidates(c, org); });
    candidates_ms.push_back(ms_since(t));
    pairs = found.size();
    by_nik = static_cast<std::size_t>(
        std::count_if(found.begin(), found.end(), [](auto& p) { return p.same_nik; }));
    by_name = static_cast<std::size_t>(
        std::count_if(found.begin(), found.end(), [](auto& p) { return p.same_name_birth_year_village; }));
    t = Clock::now();
    auto page = db->read_value(
        [&](db::Connection& c) { return domain::participants::duplicates(c, scope, std::nullopt, 50); });
    page_ms.push_back(ms_since(t));
    if (page.total != static_cast<std::int64_t>(pairs)) die("the page disagrees with the candidates");
  }
  std::printf("candidate pairs: %zu (same NIK %zu, same name + birth year + village %zu)\n", pairs, by_nik,
              by_name);
  std::printf("find_candidates: first %.1f ms, median %.1f ms of %d runs\n", candidates_ms.front(),
              median(candidates_ms), args.runs);
  std::printf("duplicates (first page of 50 with records): first %.1f ms, median %.1f ms of %d runs\n",
              page_ms.front(), median(page_ms), args.runs);
  db->close();
  if (args.keep) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    fs::remove_all(dir);
  }
  return 0;
}
