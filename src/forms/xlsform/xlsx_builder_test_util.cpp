#include "forms/xlsform/xlsx_builder_test_util.hpp"

#include <zip.h>

#include <cstdio>
#include <stdexcept>

namespace gotong::forms::xlsform::testing {

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) throw std::runtime_error("zip_source_buffer_create");
  zip_source_keep(buffer);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source");
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (source == nullptr || zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) < 0) {
      throw std::runtime_error("zip_file_add");
    }
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close");
  std::string out;
  if (zip_source_open(buffer) != 0) throw std::runtime_error("zip_source_open");
  char chunk[65536];
  for (zip_int64_t n; (n = zip_source_read(buffer, chunk, sizeof chunk)) > 0;)
    out.append(chunk, static_cast<std::size_t>(n));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

std::string make_xlsx(const std::vector<TestSheet>& sheets, const std::string& shared_strings,
                      const std::string& styles_xml, const std::string& workbook_pr) {
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
  const std::string rns = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::vector<std::pair<std::string, std::string>> entries;
  std::string workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " + ns + " " + rns + ">" +
                         workbook_pr + "<sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    std::string id = "rId" + std::to_string(i + 1);
    std::string file = "sheet" + std::to_string(i + 1) + ".xml";
    workbook += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + std::to_string(i + 1) + "\" r:id=\"" +
                id + "\"/>";
    rels +=
        "<Relationship Id=\"" + id + "\" Type=\"" + rel + "worksheet\" Target=\"worksheets/" + file + "\"/>";
    entries.emplace_back("xl/worksheets/" + file, "<?xml version=\"1.0\"?><worksheet " + ns + "><sheetData>" +
                                                      sheets[i].sheet_data + "</sheetData></worksheet>");
  }
  workbook += "</sheets></workbook>";
  if (!shared_strings.empty()) {
    rels += "<Relationship Id=\"rIdS\" Type=\"" + rel + "sharedStrings\" Target=\"sharedStrings.xml\"/>";
    entries.emplace_back("xl/sharedStrings.xml", shared_strings);
  }
  if (!styles_xml.empty()) {
    rels += "<Relationship Id=\"rIdT\" Type=\"" + rel + "styles\" Target=\"styles.xml\"/>";
    entries.emplace_back("xl/styles.xml", styles_xml);
  }
  rels += "</Relationships>";
  entries.emplace_back("xl/workbook.xml", workbook);
  entries.emplace_back("xl/_rels/workbook.xml.rels", rels);
  entries.emplace_back("_rels/.rels",
                       "<?xml version=\"1.0\"?><Relationships "
                       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                       "<Relationship Id=\"rId1\" Type=\"" +
                           rel + "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
  return make_zip(entries);
}

}  // namespace gotong::forms::xlsform::testing
