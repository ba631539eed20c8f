# app/: main and the command line; the only place that wires the layers together.
if(NOT GOTONG_UNIT_ONLY)
  add_executable(gotong
    src/app/commands.cpp
    src/app/form_commands.cpp
    src/app/main.cpp
    src/app/migrate_data.cpp
    src/app/serve.cpp
  )
  # Where `gotong serve` looks for the built web app by default (web/dist of this tree).
  set_source_files_properties(src/app/serve.cpp PROPERTIES
    COMPILE_DEFINITIONS "GOTONG_SOURCE_DIR=\"${PROJECT_SOURCE_DIR}\"")
  target_link_libraries(gotong PRIVATE gotong_api gotong_http_server gotong_forms_xlsform gotong_forms_xform CLI11::CLI11)
endif()
