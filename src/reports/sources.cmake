# reports/: the pure writers of reports (PDF with cairo + pango, XLSX with libxlsxwriter, IATI
# XML with pugixml, the JSON model): they render a finished model and know nothing of SQL or HTTP.
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)
add_library(gotong_reports STATIC
  src/reports/format.cpp
  src/reports/html_writer.cpp
  src/reports/iati_writer.cpp
  src/reports/json_writer.cpp
  src/reports/pdf_canvas.cpp
  src/reports/pdf_charts.cpp
  src/reports/pdf_writer.cpp
  src/reports/xlsx_writer.cpp
)
target_link_libraries(gotong_reports PUBLIC gotong_base pugixml::pugixml PkgConfig::XLSXWRITER
  PkgConfig::CAIRO PkgConfig::PANGOCAIRO)

# Registered by hand rather than with gotong_add_unit_test to give LeakSanitizer the suppression
# of fontconfig's own one-time leak (see lsan.supp); it matters only in the sanitizer build.
add_executable(reports_test src/reports/format_test.cpp src/reports/writers_test.cpp)
target_link_libraries(reports_test PRIVATE gotong_reports gotong_options GTest::gtest GTest::gtest_main)
gtest_discover_tests(reports_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit
  ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/src/reports/lsan.supp")
