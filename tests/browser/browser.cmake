# Browser test: every XLSForm of the corpus that `gotong form convert` accepts must load and render
# in the real ODK Web Forms engine (npm @getodk/web-forms) inside Debian's Chromium (run.mjs).
# Needs `npm ci` in tests/browser first; ./test does it. Run alone: ctest -L browser.
if(NOT GOTONG_UNIT_ONLY)
  find_program(GOTONG_NODE node)
  if(NOT GOTONG_NODE)
    set(GOTONG_NODE node)  # installed later by ./test; CTest then finds it on PATH
  endif()
  add_test(NAME browser_webforms_corpus
           COMMAND ${GOTONG_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/run.mjs
                   --out ${PROJECT_BINARY_DIR}/browser_webforms)
  set_tests_properties(browser_webforms_corpus PROPERTIES
    ENVIRONMENT "GOTONG_BIN=$<TARGET_FILE:gotong>"
    LABELS browser
    TIMEOUT 600)
endif()
