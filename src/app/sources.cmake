# app/: main and the command line; the only place that wires the layers together.
if(NOT GOTONG_UNIT_ONLY)
  add_executable(gotong
    src/app/commands.cpp
    src/app/form_commands.cpp
    src/app/main.cpp
    src/app/migrate_data.cpp
    src/app/serve.cpp
  )
  target_link_libraries(gotong PRIVATE gotong_api gotong_http_server gotong_forms_xlsform gotong_forms_xform CLI11::CLI11)
endif()
