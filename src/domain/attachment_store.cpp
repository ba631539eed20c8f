#include "domain/attachment_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/crypto.hpp"
#include "base/error.hpp"

namespace gotong::domain {

namespace fs = std::filesystem;

namespace {

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

[[noreturn]] void fail(const std::string& what, const fs::path& p) {
  throw Error(ErrorCode::internal, what + " " + p.string() + ": " + std::strerror(errno));
}

// Writes and flushes the whole buffer, so a rename after it publishes complete content.
void write_durably(const fs::path& p, std::string_view bytes) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) fail("cannot create", p);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("cannot write", p);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("cannot flush", p);
  }
  ::close(fd);
}

}  // namespace

AttachmentStore::AttachmentStore(fs::path dir) : dir_(std::move(dir)) {}

fs::path AttachmentStore::path_of(std::string_view sha) const {
  if (!is_sha256_hex(sha)) throw Error(ErrorCode::not_found, "no such file");
  return dir_ / std::string(sha.substr(0, 2)) / std::string(sha.substr(2));
}

bool AttachmentStore::contains(std::string_view sha) const {
  std::error_code ec;
  return is_sha256_hex(sha) && fs::exists(path_of(sha), ec);
}

std::string AttachmentStore::put(std::string_view bytes) const {
  std::string sha = crypto::sha256_hex(bytes);
  fs::path target = path_of(sha);
  std::error_code ec;
  if (fs::exists(target, ec) && fs::file_size(target, ec) == bytes.size()) return sha;
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw Error(ErrorCode::internal, "cannot create " + target.parent_path().string() + ": " + ec.message());
  // A unique temporary name per writer: two servers storing the same photo race harmlessly.
  fs::path tmp = target.parent_path() / ("." + sha.substr(2, 16) + "." + crypto::random_hex(8) + ".tmp");
  write_durably(tmp, bytes);
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(ErrorCode::internal, "cannot store attachment " + target.string());
  }
  // The directory entry must be durable too before the database row naming it commits.
  int dfd = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return sha;
}

std::string AttachmentStore::read(std::string_view sha) const {
  fs::path p = path_of(sha);
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "the file is missing from the attachment store");
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

fs::path default_attachment_dir(const std::string& database_url) {
  constexpr std::string_view prefix = "sqlite:";
  if (std::string_view(database_url).starts_with(prefix)) {
    fs::path db_file(database_url.substr(prefix.size()));
    return (db_file.has_parent_path() ? db_file.parent_path() : fs::path(".")) / "attachments";
  }
  return "var/attachments";
}

}  // namespace gotong::domain
