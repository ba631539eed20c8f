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

  # The built app (web/dist, built by ./test) in Chromium: one CTest test per
  # tests/browser/app/<name>.test.mjs — signing in and building a program with an indicator
  # computed from a form (with screenshots of every main screen, desktop and 360 px), no
  # untranslated string in either language, partner isolation, the village screens on a phone,
  # forms, filling in ODK Web Forms and offline collection, evaluations and reports, …
  file(GLOB GOTONG_APP_BROWSER_TESTS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/browser/app/*.test.mjs)
  foreach(file ${GOTONG_APP_BROWSER_TESTS})
    get_filename_component(t ${file} NAME)
    string(REPLACE ".test.mjs" "" t ${t})
    add_test(NAME browser_app_${t}
             COMMAND ${GOTONG_NODE} ${file} --out ${PROJECT_BINARY_DIR}/browser_app/${t})
    set_tests_properties(browser_app_${t} PROPERTIES
      ENVIRONMENT "GOTONG_BIN=$<TARGET_FILE:gotong>;GOTONG_WEB_DIR=${PROJECT_SOURCE_DIR}/web/dist"
      LABELS browser
      TIMEOUT 300)
  endforeach()
endif()
