# forms/xform: reading an XForm into the schema the server validates and exports with.
add_library(gotong_forms_xform STATIC
  src/forms/xform/record.cpp
  src/forms/xform/schema.cpp
  src/forms/xform/submission.cpp
)
target_link_libraries(gotong_forms_xform PUBLIC gotong_forms_xpath pugixml::pugixml)

gotong_add_unit_test(forms_xform_test SOURCES src/forms/xform/schema_test.cpp src/forms/xform/submission_test.cpp src/forms/xform/record_test.cpp
  LIBS gotong_forms_xform gotong_forms_xlsform)  # xlsform: the record test converts the XLSForm corpus
target_compile_definitions(forms_xform_test PRIVATE GOTONG_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
