// Indicator benchmark: the three figures of the issue on 1,000,000 submissions of the demo
// household survey (data/demo/household_survey.xlsx, answers from domain/demo_survey's generator):
//   1. the full computation of an indicator with two disaggregation dimensions (target < 200 ms),
//      with where its time goes: reading the stored records from the database, and computing over
//      records already in memory. The first indicator's create writes the form's first column
//      blocks (domain/submission_blocks; --reuse deletes those of an earlier run), then
//      build_next() makes the rest as `gotong serve` does in the background, and the
//      recomputations read them;
//   2. the incremental update for one new submission (target < 1 ms): the hook alone inside a
//      write job, and receive() end to end (parse, validate, store, hook, commit) with and without
//      indicators on the form;
//   3. the program dashboard through the API pipeline (target < 20 ms at p99).
// It builds a SQLite database in a temporary directory the way bench/export_bench.cpp does: each
// generated submission read and encoded as receive() would, then inserted in large transactions.
//
// Run: build/release/bench_indicators [--submissions 1000000] [--repetitions 5] [--keep] [--reuse DIR]
//      [--database postgresql://.../empty_db]   (build and measure on PostgreSQL instead)
// --keep leaves the database in place and prints where; --reuse DIR measures such a kept database
// again without building it.
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "api/api.hpp"
#include "base/crypto.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "domain/accounts.hpp"
#include "domain/areas.hpp"
#include "domain/auth.hpp"
#include "domain/demo_survey.hpp"
#include "domain/forms.hpp"
#include "domain/indicators.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/programs.hpp"
#include "domain/results.hpp"
#include "domain/submission_blocks.hpp"
#include "domain/submissions.hpp"
#include "forms/xform/record.hpp"

namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;
namespace xform = gotong::forms::xform;
using namespace gotong;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

[[noreturn]] void die(const std::string& message) {
  std::cerr << "bench_indicators: " << message << "\n";
  std::exit(1);
}

struct Args {
  long submissions = 1000000;
  int repetitions = 5;
  bool keep = false;
  std::string reuse;
  std::string database;  // an empty database to build in instead of a temporary SQLite file
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
    else if (arg == "--repetitions")
      a.repetitions = std::max(1, std::stoi(value()));
    else if (arg == "--keep")
      a.keep = true;
    else if (arg == "--reuse")
      a.reuse = value();
    else if (arg == "--database")
      a.database = value();
    else
      die("unknown argument " + arg + " (see the comment at the top of bench/indicator_bench.cpp)");
  }
  return a;
}

struct Stats {
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};
Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
  };
  s.p50 = at(0.5);
  s.p99 = at(0.99);
  s.max = v.back();
  return s;
}

double median(std::vector<double> v) { return stats(std::move(v)).p50; }

// What the benchmark reads back from a kept database, or made when building it.
struct World {
  std::optional<domain::OrgScope> scope;
  std::int64_t form_id = 0, version_id = 0, user_id = 0;
  long submissions = 0;
};

// The demo generator makes 2 submissions per household; seeds differ per chunk so instanceIDs do.
void build(db::Database& db, World& w, long wanted) {
  auto steps = db::embedded_migrations();
  steps.push_back(domain::areas::regions_migration());
  db::migrate(db, steps);
  const std::string hash = crypto::hash_password("bench password");
  db.write([&](db::Connection& c) {
    auto org = domain::accounts::create_organisation(c, domain::Actor::cli(), "bench", "Bench");
    w.scope = domain::OrgScope::for_cli(org.id, org.slug);
    auto user =
        domain::accounts::create_user(c, domain::Actor::cli(), "koordinator@bench.id", "Koordinator", hash);
    domain::accounts::add_member(c, *w.scope, user.id, domain::Role::coordinator);
    w.user_id = user.id;
    auto upload = domain::forms::make_upload(domain::demo_survey::kFileName,
                                             std::string(domain::demo_survey::xlsform()));
    auto draft = domain::forms::save_draft(c, *w.scope, upload);
    auto published = domain::forms::publish(c, *w.scope, draft.id);
    w.form_id = published.id;
    w.version_id = published.published->id;
  });
  auto cv = db.read_value(
      [&](db::Connection& c) { return domain::submissions::compiled_version(c, w.version_id); });
  const auto start = Clock::now();
  double generate_ms = 0;
  const std::string sql =
      "INSERT INTO submissions(org_id, form_id, version_id, instance_id, current_instance_id, "
      "content_digest, state, "
      "issues_json, record, submitter_id, device_id, source, area_code, submitted_at, updated_at) "
      "VALUES ($1,$2,$3,$4,$4,'bench',$5,'[]',$6,$7,'collect:bench','bench',$8,$9,$9) RETURNING id";
  const std::string xml_sql = "INSERT INTO submission_xml(submission_id, org_id, xml) VALUES ($1,$2,$3)";
  // States as a project has them: most approved or received, a few with issues or rejected.
  const char* const kStates[] = {"approved", "approved", "approved", "received",   "received",
                                 "received", "approved", "received", "has_issues", "rejected"};
  for (std::uint32_t chunk = 0; w.submissions < wanted; ++chunk) {
    domain::demo_survey::Options o;
    o.households = static_cast<int>(std::min<long>(50000, (wanted - w.submissions + 1) / 2));
    o.seed = 20250303 + chunk;
    auto t = Clock::now();
    auto generated = domain::demo_survey::generate(o);
    generate_ms += ms_since(t);
    std::size_t i = 0;
    while (i < generated.size() && w.submissions < wanted) {
      db.write([&](db::Connection& c) {
        for (int k = 0; k < 5000 && i < generated.size() && w.submissions < wanted; ++k, ++i) {
          const auto& g = generated[i];
          xform::Submission sub = xform::read_submission(g.xml);
          std::string record = xform::encode_record(cv->schema, cv->layout, sub);
          std::string area(xform::main_value(record, cv->area_column));
          auto id = c.query_int(sql, {w.scope->org_id(), w.form_id, w.version_id, g.instance_id,
                                      kStates[static_cast<std::size_t>(w.submissions % 10)], record,
                                      w.user_id, area, g.submitted_at});
          c.exec(xml_sql, {*id, w.scope->org_id(), g.xml});
          ++w.submissions;
        }
      });
    }
    std::printf("  %ld submissions stored (%.0f s)\n", w.submissions, ms_since(start) / 1000);
    std::fflush(stdout);
  }
  std::printf("setup: %ld submissions in %.1f s (generating the answers: %.1f s)\n", w.submissions,
              ms_since(start) / 1000, generate_ms / 1000);
}

void reuse(db::Database& db, World& w) {
  // A database kept by an earlier build of the benchmark may lack the latest tables.
  auto steps = db::embedded_migrations();
  steps.push_back(domain::areas::regions_migration());
  db::migrate(db, steps);
  db.read([&](db::Connection& c) {
    auto org = c.query_one("SELECT id FROM organisations WHERE slug = 'bench'");
    if (!org) die("no benchmark database there");
    w.scope = domain::OrgScope::for_cli(org->int_at(0), "bench");
    w.form_id = c.query_int("SELECT id FROM forms WHERE org_id = $1", {org->int_at(0)}).value_or(0);
    w.version_id =
        c.query_int("SELECT id FROM form_versions WHERE form_id = $1 AND status = 'published'", {w.form_id})
            .value_or(0);
    w.user_id = c.query_int("SELECT id FROM users WHERE email = 'koordinator@bench.id'").value_or(0);
    w.submissions =
        c.query_int("SELECT COUNT(*) FROM submissions WHERE form_id = $1", {w.form_id}).value_or(0);
  });
  // The indicators of an earlier run go, so every run measures the same number of them.
  db.write([&](db::Connection& c) {
    for (const char* t : {"indicator_value_items", "indicator_values", "indicator_targets",
                          "indicator_baselines", "indicator_entries", "indicators",
                          "submission_blocks"})  // the first create of the run builds them again
      c.exec(std::string("DELETE FROM ") + t);
  });
}

domain::indicators::Computation computation(std::int64_t form_id, const char* calculation) {
  domain::indicators::Computation k;
  k.form_id = form_id;
  k.calculation = calculation;
  k.period_field = "visit_date";
  return k;
}

struct Made {
  std::string name;
  std::int64_t id = 0;
  double create_ms = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  crypto::init();
  fs::path dir = args.reuse.empty()
                     ? fs::temp_directory_path() / ("gotong-indicator-bench-" + std::to_string(::getpid()))
                     : fs::path(args.reuse);
  fs::create_directories(dir);
  const std::string url = args.database.empty() ? "sqlite:" + (dir / "bench.db").string() : args.database;
  std::cout << "database: " << url << "\n";
  auto db = db::open(url);
  World w;
  if (args.reuse.empty())
    build(*db, w, args.submissions);
  else
    reuse(*db, w);
  if (args.database.empty())
    std::printf("  database file %.0f MB, %ld submissions of the demo household survey\n",
                static_cast<double>(fs::file_size(dir / "bench.db")) / 1e6, w.submissions);
  else
    std::printf("  %ld submissions of the demo household survey\n", w.submissions);
  const domain::OrgScope& s = *w.scope;
  domain::AttachmentStore store(dir / "attachments");

  // receive() before any indicator reads the form: the baseline cost of the write path.
  auto extra = domain::demo_survey::generate({100, static_cast<std::uint32_t>(::getpid())});
  auto receive_latencies = [&](std::size_t from, std::size_t to) {
    std::vector<double> v;
    for (std::size_t i = from; i < to && i < extra.size(); ++i) {
      domain::submissions::Incoming in;
      in.xml = extra[i].xml;
      in.source = "bench";
      auto t = Clock::now();
      domain::submissions::receive(*db, s, store, std::move(in));
      v.push_back(ms_since(t));
    }
    return stats(v);
  };
  const Stats receive_plain = receive_latencies(0, 100);

  // A program with a results framework, and the indicators.
  std::int64_t program_id = 0, node_id = 0;
  db->write([&](db::Connection& c) {
    domain::programs::Input p;
    p.name = "Air Bersih Bosen";
    p.start_date = "2025-01-01";
    p.end_date = "2026-12-31";
    program_id = domain::programs::create(c, s, p).program.id;
    domain::results::NodeInput n;
    n.title = "Rumah tangga memakai air minum layak";
    node_id = domain::results::create_node(c, s, program_id, n).id;
  });
  using domain::indicators::Dimension;
  const std::vector<Dimension> sex_dusun = {Dimension{"sex", "field", "head_sex", {}, 0, {}},
                                            Dimension{"dusun", "area", "", {}, 5, {}}};
  struct Def {
    std::string name;
    domain::indicators::Input in;
  };
  std::vector<Def> defs;
  auto def = [&](std::string name, const char* calc, const char* measure, const char* frequency,
                 std::vector<Dimension> dims, auto&& tweak) {
    domain::indicators::Input in;
    in.result_node_id = node_id;
    in.title = name;
    in.measure = measure;
    in.direction = "increase";
    in.frequency = frequency;
    in.source = "submissions";
    in.computation = computation(w.form_id, calc);
    in.dimensions = std::move(dims);
    in.targets = std::vector<domain::indicators::Target>{{"LOP", 80.0, ""}};
    if (std::string(measure) != "percentage") in.targets->clear();
    tweak(*in.computation);
    defs.push_back({std::move(name), std::move(in)});
  };
  def("percentage with basic water, by sex of the head and dusun (monthly)", "percentage", "percentage",
      "monthly", sex_dusun, [](auto& k) {
        k.filter = "${water_ladder} = 'basic'";
        k.denominator_filter = "${consent} = 'yes'";
      });
  def("children under five, by sex and age band (quarterly, each member a unit)", "count", "unit",
      "quarterly",
      {Dimension{"sex", "field", "m_sex", {}, 0, {}},
       Dimension{"age", "age_band", "m_age", {1, 2, 5}, 0, {}}},
      [](auto& k) {
        k.unit = "member";
        k.filter = "${m_age} < 5";
      });
  def("mean minutes to fetch water, by sex and dusun (monthly)", "mean", "unit", "monthly", sex_dusun,
      [](auto& k) { k.value_field = "water_time"; });
  def("median spending on water, by sex and dusun (yearly)", "median", "unit", "yearly", sex_dusun,
      [](auto& k) { k.value_field = "water_spend"; });
  def("children with diarrhoea per child under five (yearly)", "ratio", "percentage", "yearly", sex_dusun,
      [](auto& k) {
        k.value_field = "diarrhoea_children";
        k.denominator_field = "n_under5";
      });
  def("enumerators at work (quarterly)", "distinct_count", "unit", "quarterly", {},
      [](auto& k) { k.value_field = "enumerator"; });
  // The first indicator again with a filter the direct column tests cannot read: the expression
  // engine over an instance rebuilt from each record.
  def("percentage with basic water, filter through the expression engine", "percentage", "percentage",
      "monthly", sex_dusun, [](auto& k) {
        k.filter = "string-length(${water_ladder}) = 5 and ${water_ladder} = 'basic'";
        k.denominator_filter = "${consent} = 'yes'";
      });

  std::printf("\n1. Full computation (create computes in full; then %d recomputations, median)\n",
              args.repetitions);
  std::vector<Made> made;
  for (auto& d : defs) {
    Made m;
    m.name = d.name;
    auto t = Clock::now();
    m.id = db->write_value(
        [&](db::Connection& c) { return domain::indicators::create(c, s, program_id, d.in).id; });
    m.create_ms = ms_since(t);
    if (made.empty()) {
      // The create built at most blocks_per_computation() blocks in its transaction; the rest is
      // made outside any write transaction, as `gotong serve`'s background thread does.
      auto tb = Clock::now();
      int built = 0;
      while (domain::submission_blocks::build_next(*db)) ++built;
      std::printf("  background block building after the first create: %d blocks in %.1f s\n", built,
                  ms_since(tb) / 1000);
    }
    std::vector<double> inside, outside;
    std::int64_t rows = 0, differences = 0;
    for (int r = 0; r < args.repetitions; ++r) {
      auto t2 = Clock::now();
      auto res =
          db->write_value([&](db::Connection& c) { return domain::indicators::recompute(c, s, m.id); });
      outside.push_back(ms_since(t2));
      inside.push_back(res.milliseconds);
      rows = res.rows;
      differences += res.differences;
    }
    std::printf("  %-85s %7.0f ms (write job %.0f ms; create %.0f ms; %lld aggregates, %lld differences)\n",
                m.name.c_str(), median(inside), median(outside), m.create_ms, static_cast<long long>(rows),
                static_cast<long long>(differences));
    made.push_back(m);
  }
  // The first create wrote the first column blocks (domain/submission_blocks) and the background
  // building the rest; the recomputations and later creates read them.
  db->read([&](db::Connection& c) {
    const char* bytes = c.engine() == db::Engine::sqlite ? "LENGTH(CAST(data AS BLOB))" : "LENGTH(data)";
    auto r = c.query_one(std::string("SELECT COUNT(DISTINCT first_id), COUNT(*), COALESCE(SUM(") + bytes +
                             "), 0) FROM submission_blocks WHERE form_id = $1",
                         {w.form_id});
    std::printf("  column blocks: %lld blocks, %lld parts, %.1f MB (GOTONG_SUBMISSION_BLOCK_ROWS=%zu)\n",
                static_cast<long long>(r->int_at(0)), static_cast<long long>(r->int_at(1)),
                r->int_at(2) / 1e6, domain::submission_blocks::block_rows());
  });

  // Where the time of the first one goes: the scan alone, and the computation over records in memory.
  {
    struct Stored {
      std::string record, area;
      std::int64_t submitted_at;
    };
    std::vector<Stored> records;
    std::vector<double> scan;
    for (int r = 0; r < args.repetitions; ++r) {
      auto t = Clock::now();
      std::size_t bytes = 0;
      db->read([&](db::Connection& c) {
        c.scan(
            "SELECT version_id, submitted_at, area_code, record FROM submissions WHERE form_id = $1 AND "
            "deleted_at "
            "IS NULL AND state IN ('received', 'approved') ORDER BY id",
            {w.form_id}, [&](const db::RowView& row) {
              const std::string_view rec = row.text_at(3);
              bytes += rec.size();
              if (r == 0) records.push_back({std::string(rec), std::string(row.text_at(2)), row.int_at(1)});
              return true;
            });
      });
      scan.push_back(ms_since(t));
      if (r == 0)
        std::printf("  reading the %zu counted records (%.0f MB of records) from the database: ",
                    records.size(), bytes / 1e6);
    }
    std::printf("%.0f ms (median)\n", median(scan));
    auto cv = db->read_value(
        [&](db::Connection& c) { return domain::submissions::compiled_version(c, w.version_id); });
    for (std::size_t k = 0; k < defs.size(); ++k) {
      domain::indicators::Indicator ind;
      ind.id = made[k].id;
      ind.frequency = *defs[k].in.frequency;
      ind.computation = defs[k].in.computation;
      ind.dimensions = *defs[k].in.dimensions;
      const analytics::Spec spec = domain::indicators::detail::spec_of(ind, "2025-01-01", "2026-12-31");
      analytics::Plan plan(cv->schema, cv->layout, spec, true);
      std::vector<double> times;
      std::size_t cells = 0;
      for (int r = 0; r < args.repetitions; ++r) {
        analytics::Aggregation agg;
        analytics::Plan::Scratch scratch;
        auto t = Clock::now();
        for (const auto& rec : records) plan.add(rec.record, rec.submitted_at, rec.area, 1, agg, scratch);
        times.push_back(ms_since(t));
        cells = agg.size();
      }
      std::printf("  computing over the records in memory, %-60.60s %6.0f ms (%zu aggregates, %s)\n",
                  made[k].name.c_str(), median(times), cells,
                  plan.direct_filters() ? "direct column tests" : "expression engine");
    }
  }

  std::printf("\n2. Incremental update for one submission (%zu indicators on the form)\n", made.size());
  {
    std::vector<std::int64_t> ids;
    db->read([&](db::Connection& c) {
      for (const auto& r :
           c.query("SELECT id FROM submissions WHERE form_id = $1 AND state = 'approved' LIMIT 20000",
                   {w.form_id}))
        ids.push_back(r.int_at(0));
    });
    std::mt19937 rng(7);
    std::vector<double> hook;
    for (int i = 0; i < 1000; ++i) {
      const std::int64_t id = ids[rng() % ids.size()];
      db->write([&](db::Connection& c) {
        // As receive() calls it for a new submission: read its state, add it. Then taken away
        // again (not timed), so the stored aggregates stay those of the database.
        auto t = Clock::now();
        auto st = domain::indicators::load_state(c, id);
        domain::indicators::on_submission_changed(c, s, w.form_id, std::nullopt, st);
        hook.push_back(ms_since(t));
        domain::indicators::on_submission_changed(c, s, w.form_id, st, std::nullopt);
      });
    }
    const Stats h = stats(hook);
    std::printf(
        "  the hook inside the write job: mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms (all %zu "
        "indicators)\n",
        h.mean, h.p50, h.p99, h.max, made.size());
    const Stats with = receive_latencies(100, 200);
    std::printf(
        "  receive() end to end (parse, validate, store, hook, fsync): p50 %.2f ms, p99 %.2f ms; before any "
        "indicator p50 %.2f ms, p99 %.2f ms\n",
        with.p50, with.p99, receive_plain.p50, receive_plain.p99);
    // The submissions received above count now: a recomputation agrees with what the hooks kept.
    std::int64_t differences = 0;
    for (const auto& m : made)
      differences += db->write_value([&](db::Connection& c) {
                         return domain::indicators::recompute(c, s, m.id);
                       }).differences;
    std::printf("  recomputation after those changes: %lld differences\n",
                static_cast<long long>(differences));
  }

  std::printf("\n3. Program dashboard through the API pipeline (%zu indicators)\n", made.size());
  {
    std::string token = db->write_value([&](db::Connection& c) {
      return domain::auth::create_token(c, domain::Actor::cli(), w.user_id, "bench").secret;
    });
    api::Api api(api::Services{*db, api::Settings{}, store});
    const std::string path = "/api/v1/orgs/bench/programs/" + std::to_string(program_id) + "/dashboard";
    std::vector<double> times;
    std::size_t body = 0;
    for (int i = 0; i < 1100; ++i) {
      http::Request req;
      req.method = "GET";
      req.target = path;
      req.path = path;
      req.remote_ip = "127.0.0.1";
      req.request_id = "bench";
      req.headers.set("Authorization", "Bearer " + token);
      auto t = Clock::now();
      http::Response res = api.handle(req);
      const double ms = ms_since(t);
      if (res.status != 200) die("dashboard answered " + std::to_string(res.status) + ": " + res.body);
      if (i >= 100) times.push_back(ms);  // the first hundred warm the caches
      body = res.body.size();
    }
    const Stats d = stats(times);
    std::printf("  GET %s: mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu bytes)\n", path.c_str(),
                d.mean, d.p50, d.p99, d.max, body);
  }

  db->close();
  if (!args.keep && args.reuse.empty())
    fs::remove_all(dir);
  else
    std::cout << "kept " << dir.string() << "\n";
  return 0;
}
