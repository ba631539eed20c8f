# db/: the storage interface, the SQLite engine and migrations.
add_library(gotong_db STATIC
  src/db/database.cpp
  src/db/migrations.cpp
  src/db/postgres.cpp
  src/db/sqlite.cpp
  src/db/transfer.cpp
  src/db/value.cpp
)
target_link_libraries(gotong_db PUBLIC gotong_base SQLite::SQLite3 PostgreSQL::PostgreSQL)

gotong_add_unit_test(db_test SOURCES src/db/sqlite_test.cpp src/db/migrations_test.cpp LIBS gotong_db)

# The PostgreSQL engine against a real server: scripts/with_pg_cluster.sh starts a throwaway
# cluster, passes its URL in GOTONG_TEST_POSTGRES_URL and removes it afterwards.
add_executable(db_postgres_test src/db/postgres_test.cpp)
target_link_libraries(db_postgres_test PRIVATE gotong_db gotong_options GTest::gtest GTest::gtest_main)
add_test(NAME db_postgres_test
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/with_pg_cluster.sh $<TARGET_FILE:db_postgres_test>)
set_tests_properties(db_postgres_test PROPERTIES LABELS unit TIMEOUT 300)
