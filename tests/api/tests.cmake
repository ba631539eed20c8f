# API tests: the real binary on a free port with a fresh database, spoken to over HTTP.
# One CTest test per module (Python 3 standard library only; Debian's python3).
if(NOT GOTONG_UNIT_ONLY)
  foreach(module health_and_errors sessions isolation_and_roles areas robustness cli form_cli)
    add_test(NAME api_${module}
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/api/run.py test_${module})
    set_tests_properties(api_${module} PROPERTIES
      ENVIRONMENT "GOTONG_BIN=$<TARGET_FILE:gotong>;PYTHONDONTWRITEBYTECODE=1"
      LABELS api
      TIMEOUT 300)
  endforeach()
endif()
