# forms/xlsform: XLSX/XLS reading, XLSForm parsing, XForm writing.
add_library(gotong_forms_xlsform STATIC
  src/forms/xlsform/choices.cpp
  src/forms/xlsform/column_headers.cpp
  src/forms/xlsform/compound_file.cpp
  src/forms/xlsform/convert.cpp
  src/forms/xlsform/diagnostics.cpp
  src/forms/xlsform/expression_check.cpp
  src/forms/xlsform/form.cpp
  src/forms/xlsform/form_builder.cpp
  src/forms/xlsform/form_checks.cpp
  src/forms/xlsform/number_formats.cpp
  src/forms/xlsform/question_types.cpp
  src/forms/xlsform/references.cpp
  src/forms/xlsform/settings.cpp
  src/forms/xlsform/survey_parser.cpp
  src/forms/xlsform/text_reader.cpp
  src/forms/xlsform/workbook.cpp
  src/forms/xlsform/xform_writer.cpp
  src/forms/xlsform/xls_reader.cpp
  src/forms/xlsform/xlsx_reader.cpp
)
# No freexl: its 1.0.6 release corrupts memory on damaged .xls files, so xls_reader.cpp has its
# own bounds-checked BIFF8 reader (which also needs no temporary file).
target_link_libraries(gotong_forms_xlsform PUBLIC gotong_forms_xpath pugixml::pugixml PkgConfig::LIBZIP)

gotong_add_unit_test(forms_xlsform_test
  SOURCES
    src/forms/xlsform/corpus_test.cpp
    src/forms/xlsform/survey_parser_test.cpp
    src/forms/xlsform/xform_writer_test.cpp
    src/forms/xlsform/xform_compare_test_util.cpp
    src/forms/xlsform/xlsx_builder_test_util.cpp
    src/forms/xlsform/xlsx_reader_test.cpp
  LIBS gotong_forms_xlsform PkgConfig::LIBZIP pugixml::pugixml GTest::gmock)
target_compile_definitions(forms_xlsform_test PRIVATE GOTONG_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
