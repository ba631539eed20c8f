#include "forms/xlsform/convert.hpp"

#include "forms/xlsform/form_builder.hpp"
#include "forms/xlsform/text_reader.hpp"
#include "forms/xlsform/xform_writer.hpp"
#include "forms/xlsform/xls_reader.hpp"
#include "forms/xlsform/xlsx_reader.hpp"

namespace gotong::forms::xlsform {

ConvertResult convert_workbook(const Workbook& workbook, std::string_view file_name,
                               const ConvertOptions& options) {
  ConvertResult result;
  ParseResult parsed = parse_form(workbook, file_name, ParseOptions{options.form_name});
  result.form = std::move(parsed.form);
  result.errors = std::move(parsed.errors);
  result.warnings = std::move(parsed.warnings);
  if (result.ok()) {
    result.xform_xml = write_xform(result.form);
    result.external_itemsets_csv = write_external_itemsets_csv(result.form);
  }
  return result;
}

ConvertResult convert(std::span<const std::byte> bytes, std::string_view file_name,
                      const ConvertOptions& options) {
  ReadResult read;
  std::string lower = to_lower_ascii(file_name);
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (looks_like_zip(bytes)) {
    read = read_xlsx(bytes, options.limits);
  } else if (looks_like_xls(bytes)) {
    read = read_xls(bytes, options.limits);
  } else if (lower.ends_with(".csv")) {
    read = read_csv_workbook(text, options.limits);
  } else if (lower.ends_with(".md")) {
    read = read_markdown_workbook(text, options.limits);
  } else {
    read.error = "the file is not an Excel workbook (.xlsx or .xls)";
  }
  if (!read.ok()) {
    ConvertResult result;
    result.errors.push_back(Diagnostic{"workbook", 0, 0, read.error});
    return result;
  }
  return convert_workbook(read.workbook, file_name, options);
}

}  // namespace gotong::forms::xlsform
