#include "domain/submission_blocks.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

#include "db/batch_insert.hpp"
#include "domain/indicators_rows.hpp"
#include "domain/submissions.hpp"

namespace gotong::domain::submission_blocks {

std::size_t block_rows() {
  static const std::size_t rows = [] {
    const char* v = std::getenv("GOTONG_SUBMISSION_BLOCK_ROWS");
    if (v && *v) {
      char* end = nullptr;
      const long long n = std::strtoll(v, &end, 10);
      if (end && *end == '\0' && n >= 1) return static_cast<std::size_t>(n);
    }
    return std::size_t{16384};
  }();
  return rows;
}

std::vector<Range> ranges(db::Connection& c, std::int64_t form_id) {
  std::vector<Range> out;
  for (const auto& r : c.query(
           "SELECT DISTINCT first_id, last_id FROM submission_blocks WHERE form_id = $1 ORDER BY first_id",
           {form_id}))
    out.push_back({r.int_at(0), r.int_at(1)});
  return out;
}

DamagedBlocks::DamagedBlocks(std::int64_t form_id, std::vector<std::int64_t> first_ids,
                             const std::string& what)
    : std::runtime_error(std::to_string(first_ids.size()) + " column block(s) of form " +
                         std::to_string(form_id) + " damaged, the first from submission " +
                         std::to_string(first_ids.at(0)) + ": " + what),
      first_ids_(std::move(first_ids)) {}

void read(db::Connection& c, std::int64_t form_id, const std::vector<std::string>& parts,
          const std::function<void(std::int64_t, const analytics::ColumnBlock&)>& on_block) {
  if (parts.empty()) return;
  std::string sql =
      "SELECT first_id, version_id, row_count, part, data FROM submission_blocks WHERE form_id = $1 AND "
      "part IN (";
  db::Params params{form_id};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 2);
    params.emplace_back(parts[i]);
  }
  sql += ") ORDER BY first_id, version_id";
  analytics::ColumnBlock block;
  std::int64_t first = -1, version = -1;
  bool open = false;
  // The scan is never left by an exception (PostgreSQL would still be sending its rows): damage
  // is noted and reported once the scan is over. The rest of a damaged block (its other versions
  // and parts) is skipped.
  std::vector<std::int64_t> damaged_blocks;
  std::string first_damage;
  auto damaged = [&] { return !damaged_blocks.empty() && damaged_blocks.back() == first; };
  auto note = [&](const std::exception& e) {
    if (damaged_blocks.empty()) first_damage = e.what();
    if (!damaged()) damaged_blocks.push_back(first);
  };
  auto finish = [&] {
    if (!open || damaged()) return;
    try {
      on_block(version, block);
    } catch (const analytics::BlockError& e) {
      note(e);
    }
  };
  c.scan(sql, params, [&](const db::RowView& r) {
    if (!open || r.int_at(0) != first || r.int_at(1) != version) {
      finish();
      block = analytics::ColumnBlock{};
      first = r.int_at(0);
      version = r.int_at(1);
      block.rows = static_cast<std::size_t>(r.int_at(2));
      open = true;
    }
    if (damaged()) return true;
    try {
      analytics::add_part(block, r.text_at(3), std::string(r.text_at(4)));
    } catch (const analytics::BlockError& e) {
      note(e);
    }
    return true;
  });
  finish();
  if (!damaged_blocks.empty()) throw DamagedBlocks(form_id, std::move(damaged_blocks), first_damage);
}

void Builder::begin_range(std::int64_t after, std::size_t rows) {
  next_first_ = after + 1;
  fed_ = 0;
  wanted_ = std::min(rows / rows_, blocks_left_) * rows_;
  open_ = Open{};
}

void Builder::add(std::int64_t id, std::int64_t version_id, std::string_view record, std::string_view state,
                  bool deleted, std::int64_t submitted_at, std::string_view area) {
  if (fed_ >= wanted_) return;
  ++fed_;
  if (open_.rows == 0) open_.first = next_first_;
  open_.last = id;
  ++open_.rows;
  auto& b = open_.versions[version_id];
  if (!b) {
    auto it = layouts_.find(version_id);
    // A version without a layout keeps its records whole (evaluated by the row path).
    b = std::make_unique<analytics::ColumnBlockBuilder>(it == layouts_.end() ? nullptr : it->second);
  }
  b->add(record, state, deleted, submitted_at, area);
  if (open_.rows == rows_) close_open();
}

void Builder::close_open() {
  Block b;
  b.first = open_.first;
  b.last = open_.last;
  for (const auto& [version, builder] : open_.versions) {
    b.parts[version] = builder->finish();
    b.rows[version] = builder->rows();
  }
  next_first_ = b.last + 1;
  done_.push_back(std::move(b));
  if (blocks_left_ > 0) --blocks_left_;
  open_ = Open{};
}

void Builder::end_range() {
  open_ = Open{};  // only when the range held fewer submissions than counted (it cannot: one snapshot)
  wanted_ = 0;
}

void Builder::store(db::Connection& c, std::int64_t form_id, bool clear) {
  // A few blocks' columns per statement: the values are large.
  db::BatchInsert rows(
      c, "INSERT INTO submission_blocks(form_id, first_id, last_id, version_id, row_count, part, data)", 7,
      64, " ON CONFLICT DO NOTHING");
  for (const auto& b : done_)
    for (const auto& [version, parts] : b.parts)
      for (const auto& [name, data] : parts)
        rows.add(
            {form_id, b.first, b.last, version, static_cast<std::int64_t>(b.rows.at(version)), name, data});
  rows.flush();
  if (clear) done_.clear();
}

std::size_t blocks_per_computation() {
  // Tests make tiny blocks: the limit is in submissions, so they still get every block at once.
  return std::max<std::size_t>(2, 32768 / block_rows());
}

namespace {

struct Candidate {
  std::int64_t form_id = 0, after = 0, last = 0;  // the block would hold ids (after, last]
};

// The first block's worth of submissions outside blocks, in some form with computed indicators.
std::optional<Candidate> next_candidate(db::Connection& c) {
  const auto rows = static_cast<std::int64_t>(block_rows());
  for (const auto& f : c.query(
           "SELECT DISTINCT form_id FROM indicators WHERE deleted_at IS NULL AND source = 'submissions' AND "
           "computed_start IS NOT NULL ORDER BY form_id")) {
    const std::int64_t form_id = f.int_at(0);
    std::int64_t after = 0;
    auto gap = [&](std::int64_t before) -> std::optional<Candidate> {
      // The block_rows()-th submission after `after`, if the gap holds that many.
      auto last = c.query_int(
          "SELECT id FROM submissions WHERE form_id = $1 AND id > $2 AND id < $3 ORDER BY id LIMIT 1 OFFSET "
          "$4",
          {form_id, after, before, rows - 1});
      if (!last) return std::nullopt;
      return Candidate{form_id, after, *last};
    };
    for (const auto& range : ranges(c, form_id)) {
      if (range.first > after + 1)
        if (auto found = gap(range.first)) return found;
      after = range.last;
    }
    if (auto found = gap(std::numeric_limits<std::int64_t>::max())) return found;
  }
  return std::nullopt;
}

}  // namespace

bool build_next(db::Database& db) {
  std::optional<Candidate> found;
  std::optional<Builder> builder;
  std::vector<std::shared_ptr<const submissions::CompiledVersion>> versions;
  Builder::Layouts layouts;
  std::int64_t count = 0, version_sum = 0;
  db.read([&](db::Connection& c) {
    found = next_candidate(c);
    if (!found) return;
    for (const auto& v :
         c.query("SELECT id FROM form_versions WHERE form_id = $1 AND status <> 'draft'", {found->form_id})) {
      versions.push_back(submissions::compiled_version(c, v.int_at(0)));
      layouts[v.int_at(0)] = &versions.back()->layout;
    }
    builder.emplace(block_rows(), layouts, 1);
    builder->begin_range(found->after, block_rows());
    c.scan(
        "SELECT id, version_id, submitted_at, area_code, record, state, CASE WHEN deleted_at IS NULL THEN 0 "
        "ELSE 1 "
        "END, version FROM submissions WHERE form_id = $1 AND id > $2 AND id <= $3 ORDER BY id",
        {found->form_id, found->after, found->last}, [&](const db::RowView& r) {
          builder->add(r.int_at(0), r.int_at(1), r.text_at(4), r.text_at(5), r.int_at(6) != 0, r.int_at(2),
                       r.text_at(3));
          ++count;
          version_sum += r.int_at(7);
          return true;
        });
    builder->end_range();
  });
  if (!found) return false;
  if (builder->blocks() != 1) return false;  // the snapshot disagreed with itself: nothing to do now
  bool stored = false;
  db.write([&](db::Connection& c) {
    stored = false;  // a PostgreSQL job may run again
    indicators::detail::lock_submissions(c);
    auto now = c.query_one(
        "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM submissions WHERE form_id = $1 AND id > $2 AND id "
        "<= $3",
        {found->form_id, found->after, found->last});
    const bool overlaps =
        c.query_one("SELECT 1 FROM submission_blocks WHERE form_id = $1 AND first_id <= $3 AND last_id > $2",
                    {found->form_id, found->after, found->last})
            .has_value();
    // Changed meanwhile (an edit, a review, the bin) or built by a computation: try again later.
    if (now->int_at(0) != count || now->int_at(1) != version_sum || overlaps) return;
    builder->store(c, found->form_id, false);
    stored = true;
  });
  return stored;
}

void drop(db::Connection& c, std::int64_t form_id, std::int64_t first_id) {
  c.exec("DELETE FROM submission_blocks WHERE form_id = $1 AND first_id = $2", {form_id, first_id});
}

void invalidate(db::Connection& c, std::int64_t form_id, std::int64_t submission_id) {
  c.exec(
      "DELETE FROM submission_blocks WHERE form_id = $1 AND first_id = (SELECT MAX(first_id) FROM "
      "submission_blocks WHERE form_id = $1 AND first_id <= $2) AND last_id >= $2",
      {form_id, submission_id});
}

}  // namespace gotong::domain::submission_blocks
