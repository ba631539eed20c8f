#include "analytics/column_block.hpp"

#include <cstring>

namespace gotong::analytics {

namespace xform = forms::xform;

namespace {

void put32(std::string& out, std::uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

void put64(std::string& out, std::int64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}

void put_text(std::string& out, std::string_view s) {
  put32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Reads a part front to back; any read past its end is damage.
struct Reader {
  std::string_view rest;
  void need(std::size_t n) const {
    if (rest.size() < n) throw BlockError("submission block: a part ends too early");
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, rest.data(), 4);
    rest.remove_prefix(4);
    return v;
  }
  std::int64_t i64() {
    need(8);
    std::int64_t v;
    std::memcpy(&v, rest.data(), 8);
    rest.remove_prefix(8);
    return v;
  }
  std::string_view bytes(std::size_t n) {
    need(n);
    auto v = rest.substr(0, n);
    rest.remove_prefix(n);
    return v;
  }
  std::string_view text() { return bytes(u32()); }
};

CodedColumn decode_column(Reader& r) {
  CodedColumn c;
  const std::uint32_t rows = r.u32();
  const std::uint32_t distinct = r.u32();
  c.dict.reserve(distinct);
  for (std::uint32_t i = 0; i < distinct; ++i) c.dict.push_back(r.text());
  const std::string_view w = r.bytes(1);
  const auto width = static_cast<std::size_t>(static_cast<unsigned char>(w[0]));
  if (width != 1 && width != 2 && width != 4) throw BlockError("submission block: a damaged column");
  const std::string_view codes = r.bytes(rows * width);
  c.codes.resize(rows);
  const auto* p = reinterpret_cast<const unsigned char*>(codes.data());
  for (std::uint32_t i = 0; i < rows; ++i) {
    std::uint32_t v = 0;
    if (width == 1) {
      v = p[i];
    } else if (width == 2) {
      std::uint16_t h;
      std::memcpy(&h, p + 2 * i, 2);
      v = h;
    } else {
      std::memcpy(&v, p + 4 * i, 4);
    }
    if (v >= distinct) throw BlockError("submission block: a code outside its dictionary");
    c.codes[i] = v;
  }
  return c;
}

int parse_int(std::string_view s) {
  if (s.empty() || s.size() > 7) throw BlockError("submission block: a damaged part name");
  int v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') throw BlockError("submission block: a damaged part name");
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace

std::uint8_t block_state(std::string_view state, bool deleted) {
  std::uint8_t s = state == "received"   ? kReceived
                   : state == "approved" ? kApproved
                   : state == "has_issues" ? kHasIssues
                                           : kOtherState;
  return static_cast<std::uint8_t>(s | (deleted ? kDeletedBit : 0));
}

void ColumnBlockBuilder::Column::add(std::string_view v, std::size_t row) {
  auto code_of = [&](std::string_view s) -> std::uint32_t {
    // Answers often repeat the previous row's (an empty field, the same village): no hashing then.
    if (!codes.empty() && dict[codes.back()] == s) return codes.back();
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    const auto code = static_cast<std::uint32_t>(dict.size());
    auto ins = index.emplace(std::string(s), code).first;
    dict.push_back(ins->first);  // unordered_map keys do not move on rehash
    return code;
  };
  if (codes.size() < row) {
    const std::uint32_t empty = code_of({});
    codes.resize(row, empty);
  }
  codes.push_back(code_of(v));
}

std::string ColumnBlockBuilder::encode(const Column& c, std::size_t rows) {
  std::string out;
  put32(out, static_cast<std::uint32_t>(rows));
  // Rows after the last one that had this column read "": the code of "" (added if missing).
  std::vector<std::string_view> dict = c.dict;
  std::uint32_t empty = 0;
  if (c.codes.size() < rows) {
    auto it = c.index.find(std::string_view());
    if (it != c.index.end()) {
      empty = it->second;
    } else {
      empty = static_cast<std::uint32_t>(dict.size());
      dict.push_back({});
    }
  }
  put32(out, static_cast<std::uint32_t>(dict.size()));
  for (auto s : dict) put_text(out, s);
  const unsigned char width = dict.size() <= 0x100 ? 1 : dict.size() <= 0x10000 ? 2 : 4;
  out.push_back(static_cast<char>(width));
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint32_t v = i < c.codes.size() ? c.codes[i] : empty;
    if (width == 1) {
      out.push_back(static_cast<char>(v));
    } else if (width == 2) {
      const auto h = static_cast<std::uint16_t>(v);
      out.append(reinterpret_cast<const char*>(&h), 2);
    } else {
      out.append(reinterpret_cast<const char*>(&v), 4);
    }
  }
  return out;
}

void ColumnBlockBuilder::add(std::string_view record, std::string_view state, bool deleted,
                             std::int64_t submitted_at, std::string_view area) {
  const std::size_t row = state_.size();
  std::uint8_t st = block_state(state, deleted);
  // The record's rows, and each repeat row's parent found as Plan::add finds it (the last earlier
  // row whose key is the row's parent key; the main row when there is none).
  std::size_t n = 0;
  bool regular = layout_ != nullptr;
  try {
    xform::RecordReader reader(record);
    for (;;) {
      if (n == rows_.size()) rows_.emplace_back();
      if (!reader.next(rows_[n])) break;
      ++n;
    }
  } catch (const xform::XFormError&) {
    regular = false;
  }
  std::vector<std::size_t> parent(n, 0);
  for (std::size_t i = 1; regular && i < n; ++i) {
    const int t = rows_[i].table;
    if (t <= 0 || static_cast<std::size_t>(t) >= layout_->tables.size()) {
      regular = false;
      break;
    }
    const std::string_view pk = xform::parent_key(rows_[i].key);
    for (std::size_t j = 1; j < i && !pk.empty(); ++j)
      if (rows_[j].key == pk) parent[i] = j;
    if (rows_[parent[i]].table != layout_->tables[static_cast<std::size_t>(t)].parent_table) regular = false;
  }
  if (!regular || n == 0) {
    st |= kExceptionBit;
    put32(exceptions_, static_cast<std::uint32_t>(row));
    put64(exceptions_, submitted_at);
    put_text(exceptions_, area);
    put_text(exceptions_, record);
    ++exception_count_;
    n = 0;
  }
  state_.push_back(st);
  time_.push_back(submitted_at);
  area_.add(area, row);
  // Each record row becomes a row of its table; `index` is its place there.
  std::vector<std::size_t> index(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto t = static_cast<std::size_t>(rows_[i].table);
    if (t >= columns_.size()) {
      columns_.resize(t + 1);
      parent_.resize(t + 1);
    }
    const std::size_t at = t == 0 ? row : parent_[t].size();
    index[i] = at;
    if (t > 0) parent_[t].push_back(static_cast<std::uint32_t>(index[parent[i]]));
    auto& cols = columns_[t];
    if (cols.size() < rows_[i].values.size()) cols.resize(rows_[i].values.size());
    for (std::size_t k = 0; k < rows_[i].values.size(); ++k) cols[k].add(rows_[i].values[k], at);
  }
}

std::map<std::string, std::string> ColumnBlockBuilder::finish() const {
  std::map<std::string, std::string> parts;
  const std::size_t rows = state_.size();
  parts["state"] = std::string(reinterpret_cast<const char*>(state_.data()), rows);
  std::string time;
  for (auto t : time_) put64(time, t);
  parts["time"] = std::move(time);
  parts["area"] = encode(area_, rows);
  std::string exc;
  put32(exc, exception_count_);
  exc += exceptions_;
  parts["exc"] = std::move(exc);
  for (std::size_t t = 0; t < columns_.size(); ++t) {
    const std::size_t n = t == 0 ? rows : parent_[t].size();
    if (t > 0) {
      std::string p;
      put32(p, static_cast<std::uint32_t>(n));
      for (auto v : parent_[t]) put32(p, v);
      parts["t" + std::to_string(t)] = std::move(p);
    }
    for (std::size_t k = 0; k < columns_[t].size(); ++k)
      parts["c" + std::to_string(t) + "." + std::to_string(k)] = encode(columns_[t][k], n);
  }
  return parts;
}

void add_part(ColumnBlock& b, std::string_view name, std::string data) {
  b.storage.push_back(std::move(data));
  Reader r{b.storage.back()};
  if (name == "state") {
    const auto v = r.bytes(b.rows);
    b.state.assign(v.begin(), v.end());
  } else if (name == "time") {
    b.submitted_at.resize(b.rows);
    for (auto& t : b.submitted_at) t = r.i64();
  } else if (name == "area") {
    b.area = decode_column(r);
    if (b.area.codes.size() != b.rows) throw BlockError("submission block: the area column has the wrong length");
  } else if (name == "exc") {
    const std::uint32_t n = r.u32();
    for (std::uint32_t i = 0; i < n; ++i) {
      ColumnBlock::Exception e;
      e.row = r.u32();
      e.submitted_at = r.i64();
      e.area = r.text();
      e.record = r.text();
      if (e.row >= b.rows) throw BlockError("submission block: an exception outside the block");
      b.exceptions.push_back(e);
    }
  } else if (name.size() > 1 && name[0] == 't') {
    const auto t = static_cast<std::size_t>(parse_int(name.substr(1)));
    if (b.parent.size() <= t) b.parent.resize(t + 1);
    const std::uint32_t n = r.u32();
    auto& p = b.parent[t];
    p.resize(n);
    for (auto& v : p) v = r.u32();
  } else if (name.size() > 1 && name[0] == 'c') {
    const auto dot = name.find('.');
    if (dot == std::string_view::npos) throw BlockError("submission block: a damaged part name");
    const int t = parse_int(name.substr(1, dot - 1)), col = parse_int(name.substr(dot + 1));
    b.columns[{t, col}] = decode_column(r);
  }
  // Unknown parts (a later format) are ignored.
}

}  // namespace gotong::analytics
