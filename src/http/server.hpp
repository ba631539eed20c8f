// The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, a thread per core for I/O and
// a pool of worker threads that run the (blocking) handler, so a database call never runs on
// an I/O thread. Only server.cpp includes Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace gotong::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;        // 0 picks a free port; see Server::port()
  int io_threads = 0;               // 0: one per core
  int worker_threads = 32;          // handlers may block on the database
  std::chrono::milliseconds header_timeout{10'000};  // whole request head must arrive in this
  std::chrono::milliseconds body_timeout{60'000};    // whole body must arrive in this
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{60'000};
  // On shutdown, connections still open after this are closed (requests in flight are lost).
  std::chrono::milliseconds shutdown_timeout{30'000};
  std::size_t max_header_bytes = 16 * 1024;
  // Largest body accepted for a request; larger ones are answered 413 without reading them.
  // Called with the request head (body empty) so uploads may allow more than JSON calls.
  std::function<std::size_t(const Request&)> body_limit = [](const Request&) {
    return std::size_t{1} << 20;
  };
  std::size_t gzip_min_bytes = 1024;  // smaller bodies are not worth compressing
  bool access_log = true;
};

// Called on a worker thread for every request that was read completely. Must not throw
// (the caller turns exceptions into 500 problems anyway, as a last resort).
using Handler = std::function<Response(Request&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; throws std::runtime_error naming the address on failure.
  void listen();
  std::uint16_t port() const;
  // Serves until SIGINT/SIGTERM or stop(); then stops accepting, lets in-flight requests
  // finish and answers them, closes idle connections, and returns.
  void run();
  // Thread-safe; starts the same graceful shutdown as a signal.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gotong::http
