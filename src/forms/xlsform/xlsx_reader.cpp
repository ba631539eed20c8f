#include "forms/xlsform/xlsx_reader.hpp"

#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "forms/xlsform/number_formats.hpp"

namespace gotong::forms::xlsform {

namespace {

// Thrown inside the reader only; read_xlsx turns it into ReadResult::error.
struct ReadFailure {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw ReadFailure{std::move(message)}; }

// ---- zip access with limits ----------------------------------------------------------------

class ZipArchive {
 public:
  ZipArchive(std::span<const std::byte> bytes, const WorkbookLimits& limits) : limits_(limits) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      zip_error_fini(&error);
      fail("cannot read the file as a zip archive");
    }
    archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive_ == nullptr) {
      zip_source_free(source);
      zip_error_fini(&error);
      fail("the file is not a valid .xlsx workbook (not a zip archive)");
    }
    zip_error_fini(&error);
    zip_int64_t entries = zip_get_num_entries(archive_, 0);
    if (entries < 0 || static_cast<std::uint64_t>(entries) > limits_.max_zip_entries) {
      fail("the workbook has too many parts (" + std::to_string(entries) + ")");
    }
  }
  ~ZipArchive() {
    if (archive_ != nullptr) zip_discard(archive_);
  }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool contains(const std::string& name) const { return locate(name).has_value(); }

  // The entry's bytes, or nullopt when absent. Sizes are checked against the limits both as
  // declared in the zip directory and as actually inflated, since the directory can lie.
  std::optional<std::string> read(const std::string& name) {
    auto index = locate(name);
    if (!index) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, *index, 0, &st) != 0) fail("cannot read workbook part '" + name + "'");
    std::uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    check_size(name, size, compressed);
    zip_file_t* file = zip_fopen_index(archive_, *index, 0);
    if (file == nullptr) fail("cannot open workbook part '" + name + "' (encrypted or corrupt)");
    std::string data;
    data.reserve(static_cast<std::size_t>(size));
    char buffer[65536];
    for (;;) {
      zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        zip_fclose(file);
        fail("workbook part '" + name + "' is corrupt");
      }
      if (n == 0) break;
      data.append(buffer, static_cast<std::size_t>(n));
      if (data.size() > size) {
        zip_fclose(file);
        fail("workbook part '" + name + "' inflates beyond its declared size (zip bomb?)");
      }
    }
    zip_fclose(file);
    total_ += data.size();
    return data;
  }

 private:
  std::optional<zip_uint64_t> locate(const std::string& name) const {
    zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    return static_cast<zip_uint64_t>(index);
  }

  void check_size(const std::string& name, std::uint64_t size, std::uint64_t compressed) {
    if (size > limits_.max_entry_uncompressed) {
      fail("workbook part '" + name + "' is too large when uncompressed (" + std::to_string(size) +
           " bytes, limit " + std::to_string(limits_.max_entry_uncompressed) + ")");
    }
    if (total_ + size > limits_.max_total_uncompressed) {
      fail("the workbook is too large when uncompressed (limit " +
           std::to_string(limits_.max_total_uncompressed) + " bytes)");
    }
    if (size > limits_.ratio_applies_above &&
        (compressed == 0 || size / compressed > limits_.max_compression_ratio)) {
      fail("workbook part '" + name + "' has a suspicious compression ratio (" +
           std::to_string(compressed == 0 ? size : size / compressed) + ":1); refusing a possible zip bomb");
    }
  }

  const WorkbookLimits& limits_;
  zip_t* archive_ = nullptr;
  std::uint64_t total_ = 0;
};

// ---- XML helpers ---------------------------------------------------------------------------

// Parses one part. A DOCTYPE is refused outright: workbook XML never needs one, and refusing it
// closes the door on entity tricks (pugixml never expands custom entities anyway).
void parse_xml(pugi::xml_document& doc, std::string& text, const std::string& part) {
  unsigned options = pugi::parse_default | pugi::parse_doctype | pugi::parse_ws_pcdata_single;
  pugi::xml_parse_result result = doc.load_buffer_inplace(text.data(), text.size(), options);
  if (!result) fail("workbook part '" + part + "' is not well-formed XML: " + result.description());
  for (pugi::xml_node node : doc.children()) {
    if (node.type() == pugi::node_doctype) {
      fail("workbook part '" + part + "' contains a DOCTYPE declaration, which is not allowed");
    }
  }
}

std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view local_name(pugi::xml_node node) { return local_name(node.name()); }

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  }
  return {};
}

// Attributes of OOXML are unprefixed except relationship ids ("r:id"); match by local name.
pugi::xml_attribute attribute(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a : node.attributes()) {
    if (local_name(a.name()) == name) return a;
  }
  return {};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// OOXML writes characters XML cannot carry as "_xHHHH_" (e.g. "_x000D_" for a carriage return).
std::string decode_ooxml_escapes(std::string_view text) {
  if (text.find("_x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.size() - i >= 7 && text[i] == '_' && text[i + 1] == 'x' && text[i + 6] == '_') {
      int a = hex_value(text[i + 2]), b = hex_value(text[i + 3]), c = hex_value(text[i + 4]),
          d = hex_value(text[i + 5]);
      if (a >= 0 && b >= 0 && c >= 0 && d >= 0) {
        append_utf8(out, static_cast<std::uint32_t>((a << 12) | (b << 8) | (c << 4) | d));
        i += 7;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Text of a shared or inline string: plain <t>, or rich-text runs <r><t>; phonetic <rPh> skipped.
std::string string_item_text(pugi::xml_node si) {
  std::string out;
  for (pugi::xml_node c : si.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view n = local_name(c);
    if (n == "t") {
      out += c.text().get();
    } else if (n == "r") {
      pugi::xml_node t = child(c, "t");
      if (t) out += t.text().get();
    }
  }
  return decode_ooxml_escapes(out);
}

// ---- part paths ----------------------------------------------------------------------------

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Resolves a relationship target against the directory of its source part.
std::string resolve_target(const std::string& base_dir, std::string target) {
  std::string path = target.starts_with('/') ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::string rels_path_for(const std::string& part) {
  return directory_of(part) + "_rels/" + part.substr(directory_of(part).size()) + ".rels";
}

struct Relationship {
  std::string type;  // last path segment of the Type URI: "worksheet", "sharedStrings", ...
  std::string target;
};

std::map<std::string, Relationship> read_relationships(ZipArchive& zip, const std::string& part) {
  std::map<std::string, Relationship> out;
  std::string rels = rels_path_for(part);
  auto text = zip.read(rels);
  if (!text) return out;
  pugi::xml_document doc;
  parse_xml(doc, *text, rels);
  pugi::xml_node root = child(doc, "Relationships");
  for (pugi::xml_node r : root.children()) {
    if (local_name(r) != "Relationship") continue;
    if (std::string_view(attribute(r, "TargetMode").value()) == "External") continue;
    std::string type = attribute(r, "Type").value();
    auto slash = type.rfind('/');
    if (slash != std::string::npos) type = type.substr(slash + 1);
    out[attribute(r, "Id").value()] = {type,
                                       resolve_target(directory_of(part), attribute(r, "Target").value())};
  }
  return out;
}

struct Styles {
  std::vector<DateKind> cell_formats;  // indexed by the cell's "s" attribute
};

Styles read_styles(ZipArchive& zip, const std::string& part) {
  Styles styles;
  auto text = zip.read(part);
  if (!text) return styles;
  pugi::xml_document doc;
  parse_xml(doc, *text, part);
  pugi::xml_node sheet = child(doc, "styleSheet");
  std::map<int, DateKind> custom;
  for (pugi::xml_node f : child(sheet, "numFmts").children()) {
    if (local_name(f) != "numFmt") continue;
    custom[attribute(f, "numFmtId").as_int(-1)] = custom_format_kind(attribute(f, "formatCode").value());
  }
  for (pugi::xml_node xf : child(sheet, "cellXfs").children()) {
    if (local_name(xf) != "xf") continue;
    int id = attribute(xf, "numFmtId").as_int(0);
    auto it = custom.find(id);
    styles.cell_formats.push_back(it != custom.end() ? it->second : builtin_format_kind(id));
  }
  return styles;
}

std::vector<std::string> read_shared_strings(ZipArchive& zip, const std::string& part,
                                             const WorkbookLimits& limits) {
  std::vector<std::string> strings;
  auto text = zip.read(part);
  if (!text) return strings;
  pugi::xml_document doc;
  parse_xml(doc, *text, part);
  for (pugi::xml_node si : child(doc, "sst").children()) {
    if (local_name(si) != "si") continue;
    strings.push_back(string_item_text(si));
    if (strings.back().size() > limits.max_cell_bytes) fail("a shared string is too long");
  }
  return strings;
}

// ---- worksheets ------------------------------------------------------------------------------

struct SheetContext {
  const std::vector<std::string>& shared_strings;
  const Styles& styles;
  bool date1904 = false;
  const WorkbookLimits& limits;
  std::size_t& cell_count;
};

bool parse_double(std::string_view text, double& out) {
  text = trim(text);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::optional<Cell> read_cell(pugi::xml_node c, int row, int column, const SheetContext& ctx,
                              const std::string& sheet_name) {
  std::string_view type = attribute(c, "t").value();
  pugi::xml_node v = child(c, "v");
  Cell cell;
  cell.row = row;
  cell.column = column;
  if (type == "s") {
    if (!v) return std::nullopt;
    long index = -1;
    std::string_view vt = trim(v.text().get());
    auto [p, ec] = std::from_chars(vt.data(), vt.data() + vt.size(), index);
    (void)p;
    if (ec != std::errc() || index < 0 || static_cast<std::size_t>(index) >= ctx.shared_strings.size()) {
      fail("sheet '" + sheet_name + "' cell " + column_name(column) + std::to_string(row) +
           " refers to a shared string that does not exist");
    }
    cell.value = ctx.shared_strings[static_cast<std::size_t>(index)];
  } else if (type == "inlineStr") {
    pugi::xml_node is = child(c, "is");
    cell.value = is ? string_item_text(is) : decode_ooxml_escapes(v.text().get());
  } else if (type == "str") {
    cell.value = decode_ooxml_escapes(v.text().get());
  } else if (type == "b") {
    if (!v) return std::nullopt;
    cell.type = CellType::boolean;
    std::string_view b = trim(v.text().get());
    cell.value = (b == "1" || b == "true") ? "TRUE" : "FALSE";
  } else if (type == "e") {
    cell.type = CellType::error;
    cell.value = v.text().get();
  } else if (type == "d") {
    std::string iso(trim(v.text().get()));
    cell.type = iso.find('T') != std::string::npos ? CellType::date_time : CellType::date;
    if (iso.size() > 19) iso.resize(19);  // drop fractional seconds and zone
    cell.value = iso;
  } else {
    if (!v) return std::nullopt;
    double number = 0;
    if (!parse_double(v.text().get(), number)) {
      cell.value = v.text().get();  // not a number after all: keep the text
    } else {
      unsigned style = attribute(c, "s").as_uint(0);
      DateKind kind = style < ctx.styles.cell_formats.size() ? ctx.styles.cell_formats[style] : DateKind{};
      cell.value = format_number_cell(number, kind, ctx.date1904, cell.type);
    }
  }
  if (cell.value.empty()) return std::nullopt;
  if (cell.value.size() > ctx.limits.max_cell_bytes) {
    fail("sheet '" + sheet_name + "' cell " + column_name(column) + std::to_string(row) + " is too long");
  }
  return cell;
}

Sheet read_worksheet(ZipArchive& zip, const std::string& part, const std::string& name,
                     const SheetContext& ctx) {
  Sheet sheet;
  sheet.name = name;
  auto text = zip.read(part);
  if (!text) fail("sheet '" + name + "' is missing from the workbook (" + part + ")");
  pugi::xml_document doc;
  parse_xml(doc, *text, part);
  pugi::xml_node data = child(child(doc, "worksheet"), "sheetData");
  // Rows and cells may omit their "r" reference: then they follow the previous one.
  std::map<int, std::vector<Cell>> rows;
  int previous_row = 0;
  for (pugi::xml_node r : data.children()) {
    if (local_name(r) != "row") continue;
    int row = attribute(r, "r").as_int(previous_row + 1);
    if (row <= previous_row || row < 1) row = previous_row + 1;
    previous_row = row;
    int previous_column = 0;
    for (pugi::xml_node c : r.children()) {
      if (local_name(c) != "c") continue;
      int column = previous_column + 1;
      int cell_row = row;
      if (pugi::xml_attribute ref = attribute(c, "r")) {
        auto parsed = parse_cell_reference(ref.value());
        if (!parsed) fail("sheet '" + name + "' has an invalid cell reference '" + ref.value() + "'");
        cell_row = parsed->first;
        column = parsed->second;
      }
      previous_column = column;
      std::optional<Cell> cell = read_cell(c, cell_row, column, ctx, name);
      if (!cell) continue;
      if (cell_row > ctx.limits.max_rows) {
        fail("sheet '" + name + "' has data beyond row " + std::to_string(ctx.limits.max_rows));
      }
      if (column > ctx.limits.max_columns) {
        fail("sheet '" + name + "' has data beyond column " + column_name(ctx.limits.max_columns));
      }
      if (++ctx.cell_count > ctx.limits.max_cells) {
        fail("the workbook has more than " + std::to_string(ctx.limits.max_cells) + " cells");
      }
      rows[cell_row].push_back(std::move(*cell));
    }
  }
  add_rows(sheet, rows);
  return sheet;
}

std::string find_workbook_part(ZipArchive& zip) {
  for (const auto& [id, rel] : read_relationships(zip, "")) {
    (void)id;
    if (rel.type == "officeDocument") return rel.target;
  }
  if (zip.contains("xl/workbook.xml")) return "xl/workbook.xml";
  fail("the file is a zip archive but not an Excel workbook (no xl/workbook.xml)");
}

Workbook read_workbook(ZipArchive& zip, const WorkbookLimits& limits) {
  std::string workbook_part = find_workbook_part(zip);
  auto workbook_text = zip.read(workbook_part);
  if (!workbook_text) fail("the workbook part '" + workbook_part + "' is missing");
  pugi::xml_document doc;
  parse_xml(doc, *workbook_text, workbook_part);
  pugi::xml_node workbook = child(doc, "workbook");
  if (!workbook) fail("'" + workbook_part + "' is not a workbook");
  std::string_view date1904 = attribute(child(workbook, "workbookPr"), "date1904").value();
  auto rels = read_relationships(zip, workbook_part);

  std::string shared_strings_part, styles_part;
  for (const auto& [id, rel] : rels) {
    (void)id;
    if (rel.type == "sharedStrings") shared_strings_part = rel.target;
    if (rel.type == "styles") styles_part = rel.target;
  }
  if (shared_strings_part.empty()) shared_strings_part = directory_of(workbook_part) + "sharedStrings.xml";
  if (styles_part.empty()) styles_part = directory_of(workbook_part) + "styles.xml";
  std::vector<std::string> shared_strings = read_shared_strings(zip, shared_strings_part, limits);
  Styles styles = read_styles(zip, styles_part);

  std::size_t cell_count = 0;
  SheetContext ctx{shared_strings, styles, date1904 == "1" || date1904 == "true", limits, cell_count};
  Workbook result;
  for (pugi::xml_node s : child(workbook, "sheets").children()) {
    if (local_name(s) != "sheet") continue;
    if (result.sheets.size() >= limits.max_sheets) fail("the workbook has too many sheets");
    std::string name = attribute(s, "name").value();
    auto rel = rels.find(attribute(s, "id").value());
    if (rel == rels.end()) fail("sheet '" + name + "' has no part in the workbook");
    if (rel->second.type != "worksheet") continue;  // chart sheets and dialog sheets hold no cells
    result.sheets.push_back(read_worksheet(zip, rel->second.target, name, ctx));
  }
  return result;
}

}  // namespace

bool looks_like_zip(std::span<const std::byte> bytes) {
  return bytes.size() >= 4 && bytes[0] == std::byte{'P'} && bytes[1] == std::byte{'K'} &&
         bytes[2] == std::byte{3} && bytes[3] == std::byte{4};
}

ReadResult read_xlsx(std::span<const std::byte> bytes, const WorkbookLimits& limits) {
  ReadResult result;
  try {
    ZipArchive zip(bytes, limits);
    result.workbook = read_workbook(zip, limits);
  } catch (const ReadFailure& failure) {
    result.error = failure.message;
  } catch (const std::bad_alloc&) {
    result.error = "the workbook is too large to read";
  }
  return result;
}

}  // namespace gotong::forms::xlsform
