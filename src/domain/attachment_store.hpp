// The files that come with submissions (photos, audio, signatures) and form media, kept on disk
// content-addressed by sha256: <dir>/ab/cdef....  A file is written to a temporary name,
// flushed and renamed before the database row that names it is committed, so a committed row
// never points at a missing or partial file; a crash in between leaves only an unnamed file.
// Several app servers share one directory (a network file system) safely: the same content
// always lands under the same name.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace gotong::domain {

class AttachmentStore {
 public:
  explicit AttachmentStore(std::filesystem::path dir);
  const std::filesystem::path& dir() const { return dir_; }

  // Stores the bytes (once per distinct content) and returns their sha256 in hex.
  std::string put(std::string_view bytes) const;
  // The whole file; Error(not_found) when it is missing.
  std::string read(std::string_view sha256_hex) const;
  std::filesystem::path path_of(std::string_view sha256_hex) const;
  bool contains(std::string_view sha256_hex) const;

 private:
  std::filesystem::path dir_;
};

// The default directory for a database URL: next to an SQLite file ("sqlite:var/gotong.db" →
// "var/attachments"), else "var/attachments".
std::filesystem::path default_attachment_dir(const std::string& database_url);

}  // namespace gotong::domain
