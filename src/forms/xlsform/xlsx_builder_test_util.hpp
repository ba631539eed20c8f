// Test helper: builds .xlsx (zip) bytes in memory from XML parts, so reader tests can feed
// exactly the cells, styles and malicious parts they need.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gotong::forms::xlsform::testing {

// A zip archive of the given (path, content) entries, deflated.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries);

struct TestSheet {
  std::string name;
  std::string sheet_data;  // the inside of <sheetData>
};

// A minimal workbook: workbook.xml, its rels, the sheets, and optional shared strings /
// styles parts (inner XML of <sst> / whole styles.xml; empty = part left out).
std::string make_xlsx(const std::vector<TestSheet>& sheets, const std::string& shared_strings = {},
                      const std::string& styles_xml = {}, const std::string& workbook_pr = {});

}  // namespace gotong::forms::xlsform::testing
