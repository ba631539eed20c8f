# app/: main and the command line; the only place that wires the layers together.
if(NOT GOTONG_UNIT_ONLY)
  add_executable(gotong
    src/app/commands.cpp
    src/app/main.cpp
    src/app/serve.cpp
  )
  target_link_libraries(gotong PRIVATE gotong_api gotong_http_server CLI11::CLI11)
endif()
