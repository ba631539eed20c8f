# db/: the storage interface, the SQLite engine and migrations.
add_library(gotong_db STATIC
  src/db/database.cpp
  src/db/migrations.cpp
  src/db/sqlite.cpp
  src/db/value.cpp
)
target_link_libraries(gotong_db PUBLIC gotong_base SQLite::SQLite3)

gotong_add_unit_test(db_test SOURCES src/db/sqlite_test.cpp src/db/migrations_test.cpp LIBS gotong_db)
