# API tests: the real binary on a free port with a fresh database, spoken to over HTTP.
# One CTest test per module (Python 3 standard library only; Debian's python3).
if(NOT GOTONG_UNIT_ONLY)
  foreach(module health_and_errors sessions isolation_and_roles areas robustness cli form_cli forms submissions exports openrosa backup_restore demo programs stakeholders problems indicators indicator_blocks attendance_indicators four_w activities participants budget feedback static_files idm reports evaluations)
    add_test(NAME api_${module}
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/api/run.py test_${module})
    set_tests_properties(api_${module} PROPERTIES
      ENVIRONMENT "GOTONG_BIN=$<TARGET_FILE:gotong>;PYTHONDONTWRITEBYTECODE=1"
      LABELS api
      TIMEOUT 300)
  endforeach()

  # The same modules against PostgreSQL. One throwaway cluster (scripts/pg_cluster.sh) with a
  # migrated template database is shared by them all through a CTest fixture: the setup writes
  # its URL to api_pg_cluster.json, each server gets a CREATE DATABASE ... TEMPLATE copy, the
  # cleanup removes the cluster. `ctest -R api_pg_sessions` pulls in the setup and cleanup too.
  # form_cli is left out: it uses no database.
  set(api_pg_cluster_file ${PROJECT_BINARY_DIR}/api_pg_cluster.json)
  set(api_pg_env "GOTONG_BIN=$<TARGET_FILE:gotong>;PYTHONDONTWRITEBYTECODE=1")
  add_test(NAME api_pg_cluster_start
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/api/pg_fixture.py start ${api_pg_cluster_file})
  add_test(NAME api_pg_cluster_stop
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/api/pg_fixture.py stop ${api_pg_cluster_file})
  set_tests_properties(api_pg_cluster_start PROPERTIES
    FIXTURES_SETUP api_pg ENVIRONMENT "${api_pg_env}" LABELS api TIMEOUT 300)
  set_tests_properties(api_pg_cluster_stop PROPERTIES
    FIXTURES_CLEANUP api_pg ENVIRONMENT "${api_pg_env}" LABELS api TIMEOUT 120)
  foreach(module health_and_errors sessions isolation_and_roles areas robustness cli forms submissions exports two_servers migrate_data openrosa backup_restore demo programs stakeholders problems indicators indicator_blocks attendance_indicators four_w activities participants budget feedback static_files idm reports evaluations)
    add_test(NAME api_pg_${module}
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/api/run.py test_${module})
    set_tests_properties(api_pg_${module} PROPERTIES
      ENVIRONMENT "${api_pg_env};GOTONG_TEST_ENGINE=postgresql;GOTONG_TEST_PG_CLUSTER=${api_pg_cluster_file}"
      FIXTURES_REQUIRED api_pg
      LABELS api
      TIMEOUT 300)
  endforeach()
endif()
