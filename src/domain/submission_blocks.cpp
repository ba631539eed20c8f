#include "domain/submission_blocks.hpp"

#include <cstdlib>
#include <string_view>

#include "db/batch_insert.hpp"

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
  c.scan(sql, params, [&](const db::RowView& r) {
    if (!open || r.int_at(0) != first || r.int_at(1) != version) {
      if (open) on_block(version, block);
      block = analytics::ColumnBlock{};
      first = r.int_at(0);
      version = r.int_at(1);
      block.rows = static_cast<std::size_t>(r.int_at(2));
      open = true;
    }
    analytics::add_part(block, r.text_at(3), std::string(r.text_at(4)));
    return true;
  });
  if (open) on_block(version, block);
}

void Builder::begin_range(std::int64_t after, std::size_t rows) {
  next_first_ = after + 1;
  fed_ = 0;
  wanted_ = rows / rows_ * rows_;
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
  open_ = Open{};
}

void Builder::end_range() {
  open_ = Open{};  // only when the range held fewer submissions than counted (it cannot: one snapshot)
  wanted_ = 0;
}

void Builder::store(db::Connection& c, std::int64_t form_id) {
  // A few blocks' columns per statement: the values are large.
  db::BatchInsert rows(c,
                       "INSERT INTO submission_blocks(form_id, first_id, last_id, version_id, row_count, part, data)",
                       7, 64, " ON CONFLICT DO NOTHING");
  for (const auto& b : done_)
    for (const auto& [version, parts] : b.parts)
      for (const auto& [name, data] : parts)
        rows.add({form_id, b.first, b.last, version, static_cast<std::int64_t>(b.rows.at(version)), name, data});
  rows.flush();
  done_.clear();
}

void invalidate(db::Connection& c, std::int64_t form_id, std::int64_t submission_id) {
  c.exec(
      "DELETE FROM submission_blocks WHERE form_id = $1 AND first_id = (SELECT MAX(first_id) FROM "
      "submission_blocks WHERE form_id = $1 AND first_id <= $2) AND last_id >= $2",
      {form_id, submission_id});
}

}  // namespace gotong::domain::submission_blocks
