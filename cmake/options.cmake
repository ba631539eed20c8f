# Compiler settings shared by every target: warnings are errors, ccache when present.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(gotong_options INTERFACE)
# -Wmaybe-uninitialized is off: GCC 12 reports false positives inside std::variant and
# std::optional at -O2/-O3 (GCC bug 105562 and relatives); -Wuninitialized stays on.
target_compile_options(gotong_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror -Wno-missing-field-initializers -Wno-maybe-uninitialized>)
target_include_directories(gotong_options INTERFACE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(gotong_options INTERFACE
  BOOST_JSON_NO_LIB BOOST_URL_NO_LIB BOOST_ASIO_NO_DEPRECATED
  GOTONG_VERSION="${PROJECT_VERSION}")

if(GOTONG_SANITIZE)
  target_compile_options(gotong_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(gotong_options INTERFACE -fsanitize=address,undefined)
endif()

# gotong_add_unit_test(NAME SOURCES... LIBS ...): one GoogleTest binary registered with CTest.
function(gotong_add_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} gotong_options GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
