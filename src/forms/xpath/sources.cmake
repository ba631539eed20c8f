# forms/xpath: the ODK XPath expression engine (pure C++, no I/O).
add_library(gotong_forms_xpath STATIC
  src/forms/xpath/dates.cpp
  src/forms/xpath/digest.cpp
  src/forms/xpath/error.cpp
  src/forms/xpath/evaluator.cpp
  src/forms/xpath/expression.cpp
  src/forms/xpath/function_table.cpp
  src/forms/xpath/functions.cpp
  src/forms/xpath/geo.cpp
  src/forms/xpath/instance.cpp
  src/forms/xpath/lexer.cpp
  src/forms/xpath/parser.cpp
  src/forms/xpath/references.cpp
  src/forms/xpath/regex.cpp
  src/forms/xpath/utf8.cpp
  src/forms/xpath/value.cpp
)
target_link_libraries(gotong_forms_xpath PUBLIC gotong_options PkgConfig::SODIUM)

gotong_add_unit_test(forms_xpath_test
  SOURCES
    src/forms/xpath/dates_test.cpp
    src/forms/xpath/digest_test.cpp
    src/forms/xpath/evaluator_test.cpp
    src/forms/xpath/functions_test.cpp
    src/forms/xpath/geo_test.cpp
    src/forms/xpath/instance_test.cpp
    src/forms/xpath/lexer_test.cpp
    src/forms/xpath/parser_test.cpp
    src/forms/xpath/robustness_test.cpp
    src/forms/xpath/value_test.cpp
  LIBS gotong_forms_xpath
)
