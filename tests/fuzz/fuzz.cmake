# tests/fuzz: one libFuzzer target per parser (see tests/fuzz/README.md).
#
# Normal builds (GCC, with or without GOTONG_SANITIZE): each target is linked with
# replay_main.cpp and registered as the unit test fuzz_replay_<name>, which runs the saved
# corpus tests/fuzz/corpus/<name>/ through it once.
# GOTONG_FUZZ=ON (clang, used by scripts/fuzz.sh): the project is instrumented with
# -fsanitize=fuzzer-no-link,address,undefined and each target is a real libFuzzer binary.
option(GOTONG_FUZZ "Build the tests/fuzz targets as libFuzzer binaries (clang only)" OFF)

set(GOTONG_FUZZ_TARGETS convert xlsx_reader xls_reader xpath schema submission multipart json)
set(GOTONG_FUZZ_LIBS_convert gotong_forms_xlsform)
set(GOTONG_FUZZ_LIBS_xlsx_reader gotong_forms_xlsform)
set(GOTONG_FUZZ_LIBS_xls_reader gotong_forms_xlsform)
set(GOTONG_FUZZ_LIBS_xpath gotong_forms_xpath)
set(GOTONG_FUZZ_LIBS_schema gotong_forms_xform)
set(GOTONG_FUZZ_LIBS_submission gotong_forms_xform)
set(GOTONG_FUZZ_LIBS_multipart gotong_http)
set(GOTONG_FUZZ_LIBS_json gotong_base)

if(GOTONG_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GOTONG_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++); use scripts/fuzz.sh")
  endif()
  if(GOTONG_SANITIZE)
    message(FATAL_ERROR "GOTONG_FUZZ brings its own sanitizers: leave GOTONG_SANITIZE off")
  endif()
  # Every library the targets link is instrumented for coverage and checked by ASan + UBSan.
  # gotong_options carries GCC-only -Wno-... flags that clang does not know; keep those quiet.
  target_compile_options(gotong_options INTERFACE
    $<$<COMPILE_LANGUAGE:C,CXX>:-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer -Wno-unknown-warning-option>)
  target_link_options(gotong_options INTERFACE -fsanitize=address,undefined)
endif()

# The libraries list multipart.cpp once http/sources.cmake does; until then the target compiles it.
get_target_property(_gotong_http_sources gotong_http SOURCES)
list(FILTER _gotong_http_sources INCLUDE REGEX "multipart\\.cpp$")

foreach(name IN LISTS GOTONG_FUZZ_TARGETS)
  set(target ${name}_fuzz)
  add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/fuzz/${name}_fuzz.cpp)
  target_link_libraries(${target} PRIVATE ${GOTONG_FUZZ_LIBS_${name}} gotong_options)
  if(name STREQUAL "multipart" AND NOT _gotong_http_sources)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/http/multipart.cpp)
  endif()
  set(corpus ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name}/)
  if(GOTONG_FUZZ)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    # -runs=0: run every saved input once, no fuzzing.
    add_test(NAME fuzz_replay_${name} COMMAND ${target} -runs=0 ${corpus})
  else()
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    add_test(NAME fuzz_replay_${name} COMMAND ${target} ${corpus})
  endif()
  set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS unit TIMEOUT 300)
endforeach()
