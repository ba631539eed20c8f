# http/: messages, router, multipart and gzip (no Beast), and the Beast server (one heavy translation unit).
add_library(gotong_http STATIC
  src/http/gzip.cpp
  src/http/message.cpp
  src/http/multipart.cpp
  src/http/router.cpp
  src/http/static_files.cpp
)
target_link_libraries(gotong_http PUBLIC gotong_base gotong_options ZLIB::ZLIB)

if(NOT GOTONG_UNIT_ONLY)
  add_library(gotong_http_server STATIC
    src/http/server.cpp
  )
  target_link_libraries(gotong_http_server PUBLIC gotong_http Boost::boost ZLIB::ZLIB spdlog::spdlog Threads::Threads)

  gotong_add_unit_test(http_server_test SOURCES src/http/server_test.cpp LIBS gotong_http_server)
endif()

gotong_add_unit_test(http_router_test SOURCES src/http/router_test.cpp src/http/multipart_test.cpp LIBS gotong_http)
gotong_add_unit_test(http_static_files_test SOURCES src/http/static_files_test.cpp LIBS gotong_http)
gotong_add_unit_test(http_gzip_test SOURCES src/http/gzip_test.cpp LIBS gotong_http)
