// Indicators computed from submissions: the full computation over the stored records, and the
// incremental update made inside every write job that changes a submission.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/error.hpp"
#include "base/time.hpp"
#include "db/batch_insert.hpp"
#include "domain/audit.hpp"
#include "domain/indicators_attendance.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/submission_blocks.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::indicators {

namespace bj = boost::json;

namespace {

// A plan compiled for one form version; it refers to the version's schema and layout, which
// the shared pointer keeps alive.
struct CompiledPlan {
  std::shared_ptr<const submissions::CompiledVersion> version;
  analytics::Plan plan;
};

std::shared_ptr<const CompiledPlan> compile(db::Connection& c, const Indicator& ind, std::int64_t version_id,
                                            const std::string& start, const std::string& end) {
  auto cv = submissions::compiled_version(c, version_id);
  // Not strict: the definition was checked against the latest version; older versions read the
  // fields they lack as absent.
  analytics::Plan plan(cv->schema, cv->layout, detail::spec_of(ind, start, end), false);
  return std::make_shared<const CompiledPlan>(CompiledPlan{cv, std::move(plan)});
}

// Plans of the incremental path, cached per process. An indicator's row version changes with
// every change of its definition and its computed period with every recomputation for another
// program period, so the key names exactly one definition: app servers cache independently.
std::mutex plans_mutex;
std::unordered_map<std::string, std::shared_ptr<const CompiledPlan>> plans;
constexpr std::size_t kMaxCachedPlans = 4096;

std::shared_ptr<const CompiledPlan> cached_plan(db::Connection& c, const Indicator& ind,
                                                std::int64_t version_id) {
  const std::string key = std::to_string(ind.id) + "/" + std::to_string(ind.version) + "/" +
                          std::to_string(version_id) + "/" + *ind.computed_start + "/" + *ind.computed_end;
  {
    std::lock_guard lock(plans_mutex);
    if (auto it = plans.find(key); it != plans.end()) return it->second;
  }
  auto compiled = compile(c, ind, version_id, *ind.computed_start, *ind.computed_end);
  std::lock_guard lock(plans_mutex);
  if (plans.size() >= kMaxCachedPlans) plans.clear();  // old definitions: simply compiled again when needed
  return plans.emplace(key, std::move(compiled)).first->second;
}

bool nonzero_counts(const analytics::Accumulator& a) { return a.n || a.n_b || a.sum_a || a.sum_b; }

// Adds a difference to the stored aggregates. Every statement adds to what is stored (never a
// value computed here from a read), so jobs of other servers changing the same cells meanwhile
// are not lost; rows that come to nothing are removed.
// All cells of one indicator go in one multi-row UPSERT (one for the value counts of medians and
// distinct counts): on PostgreSQL each statement is a round trip, and the rows stay locked until
// the commit, so fewer round trips hold the hot rows for less time. Rows go in sorted order, so
// two transactions touching the same cells lock them in the same order instead of deadlocking.
void apply(db::Connection& c, std::int64_t indicator_id, std::int64_t org_id,
           const analytics::Aggregation& delta) {
  std::vector<std::pair<std::pair<std::string_view, std::string_view>, const analytics::Accumulator*>> cells;
  delta.for_each([&](std::string_view period, std::string_view cell, const analytics::Accumulator& a) {
    if (!a.zero()) cells.push_back({{period, cell}, &a});
  });
  if (cells.empty()) return;
  std::sort(cells.begin(), cells.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  db::BatchInsert values(
      c, "INSERT INTO indicator_values(indicator_id, org_id, period, cell, n, n_b, sum_a, sum_b)", 8, 400,
      " ON CONFLICT (indicator_id, period, cell) DO UPDATE SET "
      "n = indicator_values.n + excluded.n, n_b = indicator_values.n_b + excluded.n_b, "
      "sum_a = indicator_values.sum_a + excluded.sum_a, sum_b = indicator_values.sum_b + excluded.sum_b");
  db::BatchInsert items(
      c, "INSERT INTO indicator_value_items(indicator_id, org_id, period, cell, item, num, n)", 7, 400,
      " ON CONFLICT (indicator_id, period, cell, item) DO UPDATE SET "
      "n = indicator_value_items.n + excluded.n");
  std::vector<std::pair<std::string_view, std::string_view>> emptied;                      // value rows
  std::vector<std::tuple<std::string_view, std::string_view, std::string>> emptied_items;  // item rows
  for (const auto& [key, a] : cells) {
    const auto& [period, cell] = key;
    if (nonzero_counts(*a)) {
      values.add({indicator_id, org_id, period, cell, a->n, a->n_b, a->sum_a, a->sum_b});
      if (a->n < 0 || a->n_b < 0) emptied.emplace_back(period, cell);
    }
    for (const auto& [num, n] : a->numbers) {
      items.add({indicator_id, org_id, period, cell, std::to_string(num), num, n});
      if (n < 0) emptied_items.emplace_back(period, cell, std::to_string(num));
    }
    for (const auto& [text, n] : a->texts) {
      items.add({indicator_id, org_id, period, cell, text, db::Value(), n});
      if (n < 0) emptied_items.emplace_back(period, cell, text);
    }
  }
  values.flush();
  items.flush();
  // Rows that came to nothing (a submission taken away) are removed.
  for (const auto& [period, cell] : emptied)
    c.exec(
        "DELETE FROM indicator_values WHERE indicator_id = $1 AND period = $2 AND cell = $3 AND n = 0 AND "
        "n_b = 0 AND sum_a = 0 AND sum_b = 0",
        {indicator_id, period, cell});
  for (const auto& [period, cell, item] : emptied_items)
    c.exec(
        "DELETE FROM indicator_value_items WHERE indicator_id = $1 AND period = $2 AND cell = $3 AND "
        "item = $4 AND n = 0",
        {indicator_id, period, cell, item});
}

bool same(const analytics::Accumulator& a, const analytics::Accumulator& b) {
  return a.n == b.n && a.n_b == b.n_b && a.sum_a == b.sum_a && a.sum_b == b.sum_b && a.numbers == b.numbers &&
         a.texts == b.texts;
}

// Aggregates (by period and cell) that differ between two aggregations, ignoring empty ones.
std::int64_t differences(const analytics::Aggregation& a, const analytics::Aggregation& b) {
  std::map<std::pair<std::string, std::string>,
           std::pair<const analytics::Accumulator*, const analytics::Accumulator*>>
      all;
  a.for_each([&](std::string_view p, std::string_view k, const analytics::Accumulator& acc) {
    if (!acc.zero()) all[{std::string(p), std::string(k)}].first = &acc;
  });
  b.for_each([&](std::string_view p, std::string_view k, const analytics::Accumulator& acc) {
    if (!acc.zero()) all[{std::string(p), std::string(k)}].second = &acc;
  });
  std::int64_t n = 0;
  for (const auto& [key, pair] : all)
    if (!pair.first || !pair.second || !same(*pair.first, *pair.second)) ++n;
  return n;
}

}  // namespace

namespace detail {

void drop_values(db::Connection& c, std::int64_t indicator_id) {
  c.exec("DELETE FROM indicator_value_items WHERE indicator_id = $1", {indicator_id});
  c.exec("DELETE FROM indicator_values WHERE indicator_id = $1", {indicator_id});
}

analytics::Aggregation stored(db::Connection& c, std::int64_t indicator_id, bool items) {
  analytics::Aggregation out;
  for (const auto& r :
       c.query("SELECT period, cell, n, n_b, sum_a, sum_b FROM indicator_values WHERE indicator_id = $1",
               {indicator_id})) {
    auto& a = out.at(r.text_at(0), r.text_at(1));
    a.n = r.int_at(2);
    a.n_b = r.int_at(3);
    a.sum_a = r.int_at(4);
    a.sum_b = r.int_at(5);
  }
  if (items)
    for (const auto& r :
         c.query("SELECT period, cell, item, num, n FROM indicator_value_items WHERE indicator_id = $1",
                 {indicator_id})) {
      auto& a = out.at(r.text_at(0), r.text_at(1));
      if (r.null_at(3))
        a.texts[r.text_at(2)] += r.int_at(4);
      else
        a.numbers[r.int_at(3)] += r.int_at(4);
    }
  return out;
}

namespace {

// The indicator's values from the form's submissions, read from its column blocks where there
// are blocks and as rows elsewhere; `submissions` counts the submissions read. Throws
// submission_blocks::DamagedBlocks, before writing anything, when stored blocks cannot be read.
analytics::Aggregation count(db::Connection& c, const Indicator& ind, const std::string& start,
                             const std::string& end, std::int64_t& submissions) {
  const Computation& k = *ind.computation;
  Recomputed out;
  analytics::Aggregation fresh;
  analytics::Plan::Scratch scratch;
  // Plans compiled here, not taken from the cache: during an update the row's version still
  // names the previous definition.
  // Compiled before the scan: PostgreSQL runs no other statement on a connection while a query's
  // rows are still arriving.
  std::unordered_map<std::int64_t, std::shared_ptr<const CompiledPlan>> by_version;
  submission_blocks::Builder::Layouts layouts;
  std::vector<std::shared_ptr<const submissions::CompiledVersion>> keep_alive;
  bool columnar = true;
  for (const auto& r :
       c.query("SELECT id FROM form_versions WHERE form_id = $1 AND status <> 'draft'", {k.form_id})) {
    const std::int64_t version = r.int_at(0);
    try {
      auto compiled = compile(c, ind, version, start, end);
      columnar = columnar && compiled->plan.direct_filters();
      layouts[version] = &compiled->version->layout;
      by_version.emplace(version, std::move(compiled));
    } catch (const analytics::PlanError&) {
      // A version the definition cannot be read against counts nothing, here as in the hook.
      keep_alive.push_back(submissions::compiled_version(c, version));
      layouts[version] = &keep_alive.back()->layout;
    }
  }
  const bool issues = k.include_has_issues;
  std::int64_t last_version = 0;
  const CompiledPlan* plan = nullptr;
  auto plan_of = [&](std::int64_t version) -> const CompiledPlan* {
    if (!plan || version != last_version) {
      auto it = by_version.find(version);
      plan = it == by_version.end() ? nullptr : it->second.get();  // only published versions hold submissions
      last_version = version;
    }
    return plan;
  };
  if (!columnar) {
    // Filters through the expression engine: every counted record, read as a row.
    const std::string sql =
        std::string(
            "SELECT version_id, submitted_at, area_code, record FROM submissions WHERE form_id = $1 AND "
            "deleted_at IS NULL AND state IN ('received', 'approved'") +
        (issues ? ", 'has_issues')" : ")") +
        // In storage order: SQLite otherwise walks the (form_id, current_instance_id) index and
        // visits the rows in the random order of their instanceIDs.
        " ORDER BY id";
    // The record and area key are read where SQLite holds them: one pass, no copies.
    c.scan(sql, {k.form_id}, [&](const db::RowView& r) {
      const CompiledPlan* p = plan_of(r.int_at(0));
      if (!p) return true;
      p->plan.add(r.text_at(3), r.int_at(1), r.text_at(2), 1, fresh, scratch);
      ++out.submissions;
      return true;
    });
  } else {
    // The submissions in column blocks are read as columns; the others as rows, and those of
    // them that make a block's worth below the newest ones are written as new blocks
    // (domain/submission_blocks.hpp).
    std::vector<std::string> parts;
    for (const auto& [version, compiled] : by_version)
      for (auto& part : compiled->plan.block_parts())
        if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
    std::vector<bool> counted;
    submission_blocks::read(c, k.form_id, parts, [&](std::int64_t version, const analytics::ColumnBlock& b) {
      const CompiledPlan* p = plan_of(version);
      if (!p) return;
      if (b.state.size() != b.rows) throw analytics::BlockError("submission block: no state part");
      counted.assign(b.rows, false);
      for (std::size_t i = 0; i < b.rows; ++i) {
        const std::uint8_t st = b.state[i];
        const std::uint8_t s = st & analytics::kStateMask;
        counted[i] =
            !(st & analytics::kDeletedBit) && (s == analytics::kReceived || s == analytics::kApproved ||
                                               (issues && s == analytics::kHasIssues));
        out.submissions += counted[i] ? 1 : 0;
      }
      p->plan.add_block(b, counted, fresh, scratch);
    });
    submission_blocks::Builder builder(submission_blocks::block_rows(), layouts,
                                       submission_blocks::blocks_per_computation());
    auto read_rows = [&](std::int64_t after, std::int64_t before) {
      // Counted first (the (form_id, id) index alone) so that only what makes whole blocks is encoded.
      const auto n =
          c.query_int("SELECT COUNT(*) FROM submissions WHERE form_id = $1 AND id > $2 AND id < $3",
                      {k.form_id, after, before});
      builder.begin_range(after, static_cast<std::size_t>(n.value_or(0)));
      c.scan(
          "SELECT id, version_id, submitted_at, area_code, record, state, CASE WHEN deleted_at IS NULL THEN "
          "0 "
          "ELSE 1 END FROM submissions WHERE form_id = $1 AND id > $2 AND id < $3 ORDER BY id",
          {k.form_id, after, before}, [&](const db::RowView& r) {
            const std::string_view state = r.text_at(5);
            const bool deleted = r.int_at(6) != 0;
            if (!deleted && detail::counts_state(state, issues))
              if (const CompiledPlan* p = plan_of(r.int_at(1))) {
                p->plan.add(r.text_at(4), r.int_at(2), r.text_at(3), 1, fresh, scratch);
                ++out.submissions;
              }
            builder.add(r.int_at(0), r.int_at(1), r.text_at(4), state, deleted, r.int_at(2), r.text_at(3));
            return true;
          });
    };
    std::int64_t after = 0;
    for (const auto& range : submission_blocks::ranges(c, k.form_id)) {
      if (range.first > after + 1) {
        read_rows(after, range.first);
        builder.end_range();
      }
      after = range.last;
    }
    read_rows(after, std::numeric_limits<std::int64_t>::max());
    builder.end_range();
    builder.store(c, k.form_id);
  }
  submissions = out.submissions;
  return fresh;
}

}  // namespace

Recomputed compute(db::Connection& c, const Indicator& ind, const std::string& start, const std::string& end,
                   bool compare) {
  const auto t0 = std::chrono::steady_clock::now();
  const Computation& k = *ind.computation;
  Recomputed out;
  analytics::Aggregation fresh;
  // A block that cannot be read (a damaged disk, a bug in an older version) is derived data:
  // it is dropped and its submissions are counted from their rows, which also builds it again.
  try {
    fresh = count(c, ind, start, end, out.submissions);
  } catch (const submission_blocks::DamagedBlocks& damaged) {
    spdlog::warn("indicator {}: {}; dropped, their submissions are read as rows", ind.id, damaged.what());
    for (std::int64_t first_id : damaged.first_ids()) submission_blocks::drop(c, k.form_id, first_id);
    fresh = count(c, ind, start, end, out.submissions);
  }
  const bool items = analytics::keeps_items(*analytics::parse_calculation(k.calculation));
  if (compare) out.differences = differences(fresh, stored(c, ind.id, items));
  drop_values(c, ind.id);
  db::BatchInsert values(
      c, "INSERT INTO indicator_values(indicator_id, org_id, period, cell, n, n_b, sum_a, sum_b)", 8);
  db::BatchInsert item_rows(
      c, "INSERT INTO indicator_value_items(indicator_id, org_id, period, cell, item, num, n)", 7);
  fresh.for_each([&](std::string_view period, std::string_view cell, const analytics::Accumulator& a) {
    if (a.zero()) return;
    ++out.rows;
    values.add({ind.id, ind.org_id, period, cell, a.n, a.n_b, a.sum_a, a.sum_b});
    for (const auto& [num, n] : a.numbers)
      item_rows.add({ind.id, ind.org_id, period, cell, std::to_string(num), num, n});
    for (const auto& [text, n] : a.texts)
      item_rows.add({ind.id, ind.org_id, period, cell, text, db::Value(), n});
  });
  values.flush();
  item_rows.flush();
  c.exec("UPDATE indicators SET computed_start = $1, computed_end = $2, computed_at = $3 WHERE id = $4",
         {start, end, now_millis(), ind.id});
  out.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace detail

Recomputed recompute(db::Connection& c, const OrgScope& s, std::int64_t id) {
  s.require(Permission::edit_programs);
  detail::lock_submissions(c);
  const Indicator ind = get(c, s, id);
  if (!ind.computation && !ind.attendance)
    throw Error(ErrorCode::conflict, "indicator " + std::to_string(id) + " is entered by hand, not computed");
  const programs::Program p = programs::require_visible(c, s, ind.program_id);
  Recomputed r = ind.attendance ? detail::compute_attendance(c, ind, p.start_date, p.end_date, true)
                                : detail::compute(c, ind, p.start_date, p.end_date, true);
  audit::record(c, s,
                {{},
                 "indicator.recompute",
                 "indicator",
                 std::to_string(id),
                 {},
                 bj::object{{"submissions", r.submissions},
                            {"rows", r.rows},
                            {"differences", r.differences},
                            {"period", p.start_date + "/" + p.end_date}}});
  return r;
}

std::optional<SubmissionState> load_state(db::Connection& c, std::int64_t submission_id) {
  auto r = c.query_one(
      "SELECT s.version_id, s.record, s.state, s.deleted_at, s.submitted_at, s.area_code FROM submissions s "
      "WHERE s.id = $1 AND EXISTS (SELECT 1 FROM indicators i WHERE i.form_id = s.form_id AND i.deleted_at "
      "IS NULL "
      "AND i.source = 'submissions')",
      {submission_id});
  if (!r) return std::nullopt;
  return SubmissionState{r->int_at(0),   r->text_at(1), r->text_at(2),
                         !r->null_at(3), r->int_at(4),  r->opt_text(5).value_or("")};
}

void on_submission_changed(db::Connection& c, const OrgScope& s, std::int64_t form_id,
                           const std::optional<SubmissionState>& before,
                           const std::optional<SubmissionState>& after) {
  if (!before && !after) return;
  auto rows =
      c.query(std::string("SELECT ") + detail::kColumns +
                  " FROM indicators i WHERE i.form_id = $1 AND i.org_id = $2 AND i.deleted_at IS NULL AND "
                  "i.source = 'submissions' AND i.computed_start IS NOT NULL",
              {form_id, s.org_id()});
  if (rows.empty()) return;
  thread_local analytics::Plan::Scratch scratch;
  for (const auto& row : rows) {
    const Indicator ind = detail::from_row(row);
    const bool issues = ind.computation->include_has_issues;
    analytics::Aggregation delta;
    auto add = [&](const SubmissionState& st, std::int64_t sign) {
      if (st.deleted || !detail::counts_state(st.state, issues)) return;
      std::shared_ptr<const CompiledPlan> compiled;
      try {
        compiled = cached_plan(c, ind, st.version_id);
      } catch (const analytics::PlanError&) {
        return;  // field data is never refused for an indicator's sake; compute() skips it alike
      }
      compiled->plan.add(st.record, st.submitted_at, st.area_key, sign, delta, scratch);
    };
    if (before) add(*before, -1);
    if (after) add(*after, 1);
    apply(c, ind.id, ind.org_id, delta);
  }
}

}  // namespace gotong::domain::indicators
