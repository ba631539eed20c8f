// The spreadsheet as the XLSForm parser sees it: named sheets of sparse rows of text cells, with
// the 1-based row/column numbers of the file kept so diagnostics point at the right cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gotong::forms::xlsform {

// What the cell held in the file; `Cell::value` is always its text form.
enum class CellType { text, number, boolean, date, time, date_time, error };

struct Cell {
  int row = 0;     // 1-based, as in Excel
  int column = 0;  // 1-based: A = 1
  CellType type = CellType::text;
  // Numbers as the shortest round-trip decimal ("3", "18.31"), booleans "TRUE"/"FALSE",
  // dates "2012-12-12", times "09:30:00", date-times "2012-12-12T09:30:00".
  std::string value;
};

struct Sheet {
  std::string name;
  // Only rows holding at least one non-empty cell, in file order; cells sorted by column.
  std::vector<std::vector<Cell>> rows;
};

struct Workbook {
  std::vector<Sheet> sheets;

  // Sheet names compare case-insensitively (ASCII), as in Excel itself.
  const Sheet* find_sheet(std::string_view name) const;
};

// Bounds applied while reading untrusted uploads; the defaults are far above any real form.
struct WorkbookLimits {
  std::uint64_t max_total_uncompressed = 100ull << 20;  // all zip entries read, together
  std::uint64_t max_entry_uncompressed = 64ull << 20;   // one zip entry
  // A zip entry over `ratio_applies_above` bytes that inflates more than this many times its
  // compressed size is refused as a zip bomb (real sheet XML stays well below 100x).
  std::uint64_t max_compression_ratio = 200;
  std::uint64_t ratio_applies_above = 1ull << 20;
  std::size_t max_zip_entries = 10000;
  std::size_t max_sheets = 256;
  int max_rows = 100000;
  int max_columns = 2000;
  std::size_t max_cells = 2000000;
  std::size_t max_cell_bytes = 1 << 20;
};

// Either a workbook or one message saying why the file cannot be read.
struct ReadResult {
  Workbook workbook;
  std::string error;
  bool ok() const { return error.empty(); }
};

// "A" = 1, "AB" = 28; and back.
std::string column_name(int column);

// Appends the cells collected per row (in any order, maybe repeated) to `sheet` as rows sorted
// by column, a cell given twice keeping its last value. Shared by the .xlsx and .xls readers.
void add_rows(Sheet& sheet, std::map<int, std::vector<Cell>>& rows);
// "AB12" -> {row 12, column 28}; nullopt when malformed or beyond Excel's 1048576 x 16384.
std::optional<std::pair<int, int>> parse_cell_reference(std::string_view reference);

// Shortest text that reads back as the same double, written like Python's str(float) for the
// values spreadsheets hold ("3" for 3.0, "18.31", "1e-05").
std::string format_number(double value);

// Excel serial day number (1900 or 1904 system) to ISO-8601 text. `has_date`/`has_time` come
// from the cell's number format; a time-only format yields "HH:MM:SS", a date-only "YYYY-MM-DD".
std::string format_serial_date(double serial, bool date1904, bool has_date, bool has_time,
                               CellType* type_out);

// ASCII lower-casing and comparison used for sheet names and column headers.
std::string to_lower_ascii(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view text);

}  // namespace gotong::forms::xlsform
