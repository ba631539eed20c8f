#include "forms/xlsform/xls_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "forms/xlsform/compound_file.hpp"
#include "forms/xlsform/number_formats.hpp"

namespace gotong::forms::xlsform {

namespace {

// BIFF8 record types used here ([MS-XLS] 2.3).
enum : std::uint16_t {
  kFormula = 0x0006,
  kEof = 0x000A,
  kDateMode = 0x0022,
  kFilePass = 0x002F,
  kContinue = 0x003C,
  kBoundSheet = 0x0085,
  kMulRk = 0x00BD,
  kRString = 0x00D6,
  kXf = 0x00E0,
  kSst = 0x00FC,
  kLabelSst = 0x00FD,
  kNumber = 0x0203,
  kLabel = 0x0204,
  kBoolErr = 0x0205,
  kString = 0x0207,
  kRk = 0x027E,
  kFormat = 0x041E,
  kBof = 0x0809,
};

struct Failure {
  std::string message;
};

struct Record {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> data;
};

// Walks the records of the workbook stream; every length is checked against the stream.
class RecordCursor {
 public:
  explicit RecordCursor(const std::vector<std::uint8_t>& stream, std::size_t offset = 0)
      : stream_(stream), offset_(offset) {}

  std::optional<Record> next() {
    if (offset_ + 4 > stream_.size()) return std::nullopt;
    std::uint16_t type = static_cast<std::uint16_t>(stream_[offset_] | (stream_[offset_ + 1] << 8));
    std::size_t length = static_cast<std::size_t>(stream_[offset_ + 2] | (stream_[offset_ + 3] << 8));
    if (offset_ + 4 + length > stream_.size()) throw Failure{"the .xls workbook stream is truncated"};
    Record record{type, std::span<const std::uint8_t>(stream_.data() + offset_ + 4, length)};
    offset_ += 4 + length;
    return record;
  }
  // The records that continue the current one (CONTINUE), without consuming anything else.
  std::vector<std::span<const std::uint8_t>> continuations() {
    std::vector<std::span<const std::uint8_t>> out;
    for (;;) {
      std::size_t saved = offset_;
      auto record = next();
      if (!record || record->type != kContinue) {
        offset_ = saved;
        return out;
      }
      out.push_back(record->data);
    }
  }

 private:
  const std::vector<std::uint8_t>& stream_;
  std::size_t offset_;
};

std::uint16_t u16(std::span<const std::uint8_t> d, std::size_t at) {
  if (at + 2 > d.size()) throw Failure{"a record of the .xls workbook is too short"};
  return static_cast<std::uint16_t>(d[at] | (d[at + 1] << 8));
}

std::uint32_t u32(std::span<const std::uint8_t> d, std::size_t at) {
  if (at + 4 > d.size()) throw Failure{"a record of the .xls workbook is too short"};
  return static_cast<std::uint32_t>(d[at] | (d[at + 1] << 8) | (d[at + 2] << 16)) |
         (static_cast<std::uint32_t>(d[at + 3]) << 24);
}

double f64(std::span<const std::uint8_t> d, std::size_t at) {
  if (at + 8 > d.size()) throw Failure{"a record of the .xls workbook is too short"};
  double v;
  std::memcpy(&v, d.data() + at, 8);
  return v;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads BIFF8 strings from a record and its CONTINUE records. A string's characters may be
// split across records; each continuation then starts with a new "high byte" flag.
class StringReader {
 public:
  explicit StringReader(std::vector<std::span<const std::uint8_t>> segments)
      : segments_(std::move(segments)) {}

  bool at_end() {
    while (segment_ < segments_.size() && position_ >= segments_[segment_].size()) next_segment();
    return segment_ >= segments_.size();
  }
  std::uint8_t byte() {
    if (at_end()) throw Failure{"a string of the .xls workbook is truncated"};
    return segments_[segment_][position_++];
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint32_t u32() {
    return static_cast<std::uint32_t>(u16()) | (static_cast<std::uint32_t>(u16()) << 16);
  }
  void skip(std::size_t count) {
    while (count > 0) {
      if (at_end()) throw Failure{"a string of the .xls workbook is truncated"};
      std::size_t take = std::min(count, segments_[segment_].size() - position_);
      position_ += take;
      count -= take;
    }
  }

  // XLUnicodeRichExtendedString (SST items) or XLUnicodeString (LABEL, STRING, FORMAT).
  std::string unicode_string(bool rich_and_extended, std::size_t max_bytes) {
    std::size_t count = u16();
    std::uint8_t flags = byte();
    std::size_t runs = 0, extended = 0;
    if (rich_and_extended && (flags & 0x08)) runs = u16();
    if (rich_and_extended && (flags & 0x04)) extended = u32();
    std::string out = characters(count, (flags & 0x01) != 0, max_bytes);
    skip(runs * 4);
    skip(extended);
    return out;
  }

 private:
  void next_segment() {
    ++segment_;
    position_ = 0;
  }

  std::string characters(std::size_t count, bool wide, std::size_t max_bytes) {
    std::string out;
    std::uint16_t pending_high = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (segment_ >= segments_.size()) throw Failure{"a string of the .xls workbook is truncated"};
      if (position_ >= segments_[segment_].size()) {
        // The characters continue in the next record, which restates the width.
        next_segment();
        if (segment_ >= segments_.size() || segments_[segment_].empty()) {
          throw Failure{"a string of the .xls workbook is truncated"};
        }
        wide = (segments_[segment_][position_++] & 0x01) != 0;
      }
      std::uint32_t unit = wide ? u16() : byte();
      if (unit >= 0xD800 && unit < 0xDC00) {
        pending_high = static_cast<std::uint16_t>(unit);
        continue;
      }
      if (unit >= 0xDC00 && unit < 0xE000 && pending_high != 0) {
        unit = 0x10000 + ((pending_high - 0xD800u) << 10) + (unit - 0xDC00u);
      } else if (unit >= 0xD800 && unit < 0xE000) {
        unit = 0xFFFD;  // a lone surrogate
      }
      pending_high = 0;
      append_utf8(out, unit);
      if (out.size() > max_bytes) throw Failure{"a string of the .xls workbook is too long"};
    }
    return out;
  }

  std::vector<std::span<const std::uint8_t>> segments_;
  std::size_t segment_ = 0;
  std::size_t position_ = 0;
};

std::string unicode_string_of(std::span<const std::uint8_t> data, std::size_t offset,
                              std::vector<std::span<const std::uint8_t>> continuations,
                              std::size_t max_bytes) {
  if (offset > data.size()) throw Failure{"a record of the .xls workbook is too short"};
  continuations.insert(continuations.begin(), data.subspan(offset));
  return StringReader(std::move(continuations)).unicode_string(false, max_bytes);
}

double decode_rk(std::uint32_t rk) {
  double value;
  if (rk & 0x02) {
    value = static_cast<double>(static_cast<std::int32_t>(rk) >> 2);
  } else {
    std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFCu) << 32;
    std::memcpy(&value, &bits, 8);
  }
  return (rk & 0x01) ? value / 100.0 : value;
}

std::string error_text(std::uint8_t code) {
  switch (code) {
    case 0x00:
      return "#NULL!";
    case 0x07:
      return "#DIV/0!";
    case 0x0F:
      return "#VALUE!";
    case 0x17:
      return "#REF!";
    case 0x1D:
      return "#NAME?";
    case 0x24:
      return "#NUM!";
    case 0x2A:
      return "#N/A";
    default:
      return "#ERROR";
  }
}

struct SheetEntry {
  std::string name;
  std::uint32_t offset = 0;
};

class BiffReader {
 public:
  BiffReader(const std::vector<std::uint8_t>& stream, const WorkbookLimits& limits)
      : stream_(stream), limits_(limits) {}

  Workbook read() {
    read_globals();
    Workbook workbook;
    for (const SheetEntry& entry : sheets_) workbook.sheets.push_back(read_sheet(entry));
    return workbook;
  }

 private:
  void read_globals() {
    RecordCursor cursor(stream_);
    auto bof = cursor.next();
    if (!bof || bof->type != kBof) {
      // BIFF2-5 use other BOF record numbers (0x0009, 0x0209, 0x0409) or version fields.
      throw Failure{"the .xls workbook is older than Excel 97 (BIFF8); save it as .xlsx"};
    }
    if (u16(bof->data, 0) != 0x0600)
      throw Failure{"the .xls workbook is older than Excel 97 (BIFF8); save it as .xlsx"};
    std::map<int, DateKind> custom_formats;
    std::vector<int> xf_formats;
    while (auto record = cursor.next()) {
      switch (record->type) {
        case kEof:
          finish_formats(custom_formats, xf_formats);
          return;
        case kFilePass:
          throw Failure{"the .xls workbook is password-protected"};
        case kDateMode:
          date1904_ = u16(record->data, 0) == 1;
          break;
        case kBoundSheet: {
          std::uint32_t offset = u32(record->data, 0);
          std::uint8_t kind = record->data.size() > 5 ? record->data[5] : 0xFF;
          if (record->data.size() < 8) throw Failure{"a sheet record of the .xls workbook is too short"};
          std::size_t count = record->data[6];
          bool wide = (record->data[7] & 0x01) != 0;
          std::size_t needed = 8 + count * (wide ? 2 : 1);
          if (needed > record->data.size()) throw Failure{"a sheet name of the .xls workbook is truncated"};
          std::string name;
          for (std::size_t i = 0; i < count; ++i) {
            std::uint32_t unit = wide ? u16(record->data, 8 + i * 2) : record->data[8 + i];
            append_utf8(name, unit >= 0xD800 && unit < 0xE000 ? 0xFFFD : unit);
          }
          if (kind == 0) {  // a worksheet (not a chart, macro or VB module sheet)
            if (sheets_.size() >= limits_.max_sheets) throw Failure{"the workbook has too many sheets"};
            sheets_.push_back({std::move(name), offset});
          }
          break;
        }
        case kSst: {
          auto segments = cursor.continuations();
          segments.insert(segments.begin(), record->data);
          read_shared_strings(std::move(segments));
          break;
        }
        case kFormat: {
          int id = u16(record->data, 0);
          std::string code =
              unicode_string_of(record->data, 2, cursor.continuations(), limits_.max_cell_bytes);
          custom_formats[id] = custom_format_kind(code);
          break;
        }
        case kXf:
          xf_formats.push_back(u16(record->data, 2));
          break;
        default:
          break;
      }
    }
    throw Failure{"the .xls workbook has no end-of-file record"};
  }

  void finish_formats(const std::map<int, DateKind>& custom, const std::vector<int>& xf_formats) {
    for (int id : xf_formats) {
      auto it = custom.find(id);
      xf_kinds_.push_back(it != custom.end() ? it->second : builtin_format_kind(id));
    }
  }

  void read_shared_strings(std::vector<std::span<const std::uint8_t>> segments) {
    StringReader reader(std::move(segments));
    reader.u32();  // total references
    std::uint32_t unique = reader.u32();
    std::size_t total_bytes = 0;
    for (std::uint32_t i = 0; i < unique && !reader.at_end(); ++i) {
      shared_strings_.push_back(reader.unicode_string(true, limits_.max_cell_bytes));
      total_bytes += shared_strings_.back().size();
      if (total_bytes > limits_.max_total_uncompressed)
        throw Failure{"the shared strings of the .xls workbook are too large"};
    }
  }

  std::string number_text(double value, std::uint16_t xf, CellType& type) const {
    DateKind kind = xf < xf_kinds_.size() ? xf_kinds_[xf] : DateKind{};
    return format_number_cell(value, kind, date1904_, type);
  }

  void put(std::map<int, std::vector<Cell>>& rows, std::uint16_t row, std::uint16_t column, CellType type,
           std::string value, const std::string& sheet) {
    if (value.empty()) return;
    Cell cell{static_cast<int>(row) + 1, static_cast<int>(column) + 1, type, std::move(value)};
    if (cell.row > limits_.max_rows) {
      throw Failure{"sheet '" + sheet + "' has data beyond row " + std::to_string(limits_.max_rows)};
    }
    if (cell.column > limits_.max_columns) {
      throw Failure{"sheet '" + sheet + "' has data beyond column " + column_name(limits_.max_columns)};
    }
    if (++cell_count_ > limits_.max_cells) {
      throw Failure{"the workbook has more than " + std::to_string(limits_.max_cells) + " cells"};
    }
    rows[cell.row].push_back(std::move(cell));
  }

  Sheet read_sheet(const SheetEntry& entry) {
    if (entry.offset >= stream_.size())
      throw Failure{"sheet '" + entry.name + "' lies outside the .xls workbook"};
    RecordCursor cursor(stream_, entry.offset);
    auto bof = cursor.next();
    if (!bof || bof->type != kBof)
      throw Failure{"sheet '" + entry.name + "' of the .xls workbook is damaged"};
    std::map<int, std::vector<Cell>> rows;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> pending_string;  // FORMULA awaiting STRING
    int depth = 0;  // embedded substreams (charts) have their own BOF..EOF
    const std::string& name = entry.name;
    while (auto record = cursor.next()) {
      const auto& d = record->data;
      if (record->type == kBof) {
        ++depth;
        continue;
      }
      if (record->type == kEof) {
        if (depth-- == 0) break;
        continue;
      }
      if (depth > 0) continue;
      CellType type = CellType::text;
      switch (record->type) {
        case kLabelSst: {
          std::uint32_t index = u32(d, 6);
          if (index >= shared_strings_.size()) {
            throw Failure{"sheet '" + name + "' refers to a shared string that does not exist"};
          }
          put(rows, u16(d, 0), u16(d, 2), CellType::text, shared_strings_[index], name);
          break;
        }
        case kLabel:
        case kRString:
          put(rows, u16(d, 0), u16(d, 2), CellType::text,
              unicode_string_of(d, 6, cursor.continuations(), limits_.max_cell_bytes), name);
          break;
        case kNumber: {
          std::string text = number_text(f64(d, 6), u16(d, 4), type);
          put(rows, u16(d, 0), u16(d, 2), type, std::move(text), name);
          break;
        }
        case kRk: {
          std::string text = number_text(decode_rk(u32(d, 6)), u16(d, 4), type);
          put(rows, u16(d, 0), u16(d, 2), type, std::move(text), name);
          break;
        }
        case kMulRk: {
          std::uint16_t row = u16(d, 0);
          std::uint16_t first = u16(d, 2);
          if (d.size() < 6) throw Failure{"a record of the .xls workbook is too short"};
          std::size_t count = (d.size() - 6) / 6;
          for (std::size_t i = 0; i < count; ++i) {
            std::string text = number_text(decode_rk(u32(d, 4 + i * 6 + 2)), u16(d, 4 + i * 6), type);
            put(rows, row, static_cast<std::uint16_t>(first + i), type, std::move(text), name);
          }
          break;
        }
        case kBoolErr: {
          if (d.size() < 8) throw Failure{"a record of the .xls workbook is too short"};
          bool error = d[7] != 0;
          put(rows, u16(d, 0), u16(d, 2), error ? CellType::error : CellType::boolean,
              error ? error_text(d[6]) : (d[6] != 0 ? "TRUE" : "FALSE"), name);
          break;
        }
        case kFormula: {
          // The cached result: a number, or a marker saying what follows.
          if (d.size() < 14) throw Failure{"a record of the .xls workbook is too short"};
          std::uint16_t row = u16(d, 0), column = u16(d, 2);
          if (d[12] == 0xFF && d[13] == 0xFF) {
            switch (d[6]) {
              case 0:
                pending_string = std::make_pair(row, column);
                break;
              case 1:
                put(rows, row, column, CellType::boolean, d[8] != 0 ? "TRUE" : "FALSE", name);
                break;
              case 2:
                put(rows, row, column, CellType::error, error_text(d[8]), name);
                break;
              default:
                break;  // empty string result
            }
          } else {
            std::string text = number_text(f64(d, 6), u16(d, 4), type);
            put(rows, row, column, type, std::move(text), name);
          }
          break;
        }
        case kString:
          if (pending_string) {
            put(rows, pending_string->first, pending_string->second, CellType::text,
                unicode_string_of(d, 0, cursor.continuations(), limits_.max_cell_bytes), name);
            pending_string.reset();
          }
          break;
        default:
          break;
      }
    }
    Sheet sheet{name, {}};
    add_rows(sheet, rows);
    return sheet;
  }

  const std::vector<std::uint8_t>& stream_;
  const WorkbookLimits& limits_;
  bool date1904_ = false;
  std::vector<SheetEntry> sheets_;
  std::vector<std::string> shared_strings_;
  std::vector<DateKind> xf_kinds_;
  std::size_t cell_count_ = 0;
};

}  // namespace

bool looks_like_xls(std::span<const std::byte> bytes) {
  static constexpr unsigned char kSignature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kSignature, 8) == 0;
}

ReadResult read_xls(std::span<const std::byte> bytes, const WorkbookLimits& limits) {
  ReadResult result;
  if (bytes.size() > limits.max_total_uncompressed) {
    result.error = "the .xls workbook is too large";
    return result;
  }
  CompoundStream stream = read_compound_stream(bytes, {"Workbook", "Book"}, limits.max_total_uncompressed);
  if (!stream.error.empty()) {
    result.error = stream.error;
    return result;
  }
  if (!stream.found) {
    result.error = "the file is an OLE2 document but not an Excel workbook";
    return result;
  }
  try {
    result.workbook = BiffReader(stream.data, limits).read();
  } catch (const Failure& failure) {
    result.error = failure.message;
  } catch (const std::bad_alloc&) {
    result.error = "the .xls workbook is too large to read";
  }
  return result;
}

}  // namespace gotong::forms::xlsform
