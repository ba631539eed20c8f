#include "forms/xlsform/compound_file.hpp"

#include <cstring>

namespace gotong::forms::xlsform {

namespace {

constexpr std::uint32_t kFreeSector = 0xFFFFFFFF;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::size_t kHeaderSize = 512;
constexpr std::size_t kDirectoryEntrySize = 128;

struct Failure {
  std::string message;
};

class Container {
 public:
  Container(std::span<const std::byte> file, std::uint64_t max_size) : file_(file), max_size_(max_size) {}

  CompoundStream read(const std::vector<std::string_view>& names) {
    CompoundStream out;
    try {
      read_header();
      read_fat();
      std::vector<std::uint8_t> directory =
          read_chain(first_directory_sector_, fat_, sector_size_, max_size_);
      const std::size_t entries = directory.size() / kDirectoryEntrySize;
      if (entries == 0) throw Failure{"the .xls file has no directory"};
      for (std::string_view wanted : names) {
        for (std::size_t i = 0; i < entries; ++i) {
          const std::uint8_t* entry = directory.data() + i * kDirectoryEntrySize;
          if (entry[66] != 2) continue;  // not a stream
          if (!name_matches(entry, wanted)) continue;
          out.data = read_stream(entry, directory.data());
          out.found = true;
          return out;
        }
      }
    } catch (const Failure& failure) {
      out.data.clear();
      out.error = failure.message;
    }
    return out;
  }

 private:
  std::uint32_t u32(std::size_t offset) const {
    if (offset + 4 > file_.size()) throw Failure{"the .xls file is truncated"};
    std::uint32_t v;
    std::memcpy(&v, file_.data() + offset, 4);
    return v;  // little-endian host (x86_64/arm64)
  }
  std::uint16_t u16(std::size_t offset) const {
    if (offset + 2 > file_.size()) throw Failure{"the .xls file is truncated"};
    std::uint16_t v;
    std::memcpy(&v, file_.data() + offset, 2);
    return v;
  }

  void read_header() {
    static constexpr unsigned char kSignature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (file_.size() < kHeaderSize || std::memcmp(file_.data(), kSignature, 8) != 0) {
      throw Failure{"the file is not an .xls (OLE2) workbook"};
    }
    std::uint16_t sector_shift = u16(0x1E);
    std::uint16_t mini_shift = u16(0x20);
    if ((sector_shift != 9 && sector_shift != 12) || mini_shift != 6)
      throw Failure{"the .xls file has an invalid header"};
    sector_size_ = std::size_t{1} << sector_shift;
    mini_sector_size_ = std::size_t{1} << mini_shift;
    fat_sector_count_ = u32(0x2C);
    first_directory_sector_ = u32(0x30);
    mini_cutoff_ = u32(0x38);
    first_mini_fat_sector_ = u32(0x3C);
    first_difat_sector_ = u32(0x44);
    difat_sector_count_ = u32(0x48);
    sector_count_ = file_.size() > sector_size_ ? (file_.size() - sector_size_) / sector_size_ : 0;
  }

  std::size_t sector_offset(std::uint32_t sector) const {
    if (sector >= sector_count_) throw Failure{"the .xls file refers to a sector beyond its end"};
    return (static_cast<std::size_t>(sector) + 1) * sector_size_;
  }

  void read_fat() {
    std::vector<std::uint32_t> fat_sectors;
    for (std::size_t i = 0; i < 109; ++i) {
      std::uint32_t s = u32(0x4C + i * 4);
      if (s <= kMaxRegularSector) fat_sectors.push_back(s);
    }
    std::uint32_t difat = first_difat_sector_;
    const std::size_t per_sector = sector_size_ / 4 - 1;
    for (std::uint32_t n = 0; n < difat_sector_count_ && difat <= kMaxRegularSector; ++n) {
      if (n > sector_count_) throw Failure{"the .xls file has a looping sector table"};
      std::size_t base = sector_offset(difat);
      for (std::size_t i = 0; i < per_sector; ++i) {
        std::uint32_t s = u32(base + i * 4);
        if (s <= kMaxRegularSector) fat_sectors.push_back(s);
      }
      difat = u32(base + per_sector * 4);
    }
    if (fat_sectors.size() > fat_sector_count_ && fat_sector_count_ > 0)
      fat_sectors.resize(fat_sector_count_);
    if (fat_sectors.size() > sector_count_) throw Failure{"the .xls file has an invalid sector table"};
    for (std::uint32_t s : fat_sectors) {
      std::size_t base = sector_offset(s);
      for (std::size_t i = 0; i < sector_size_ / 4; ++i) fat_.push_back(u32(base + i * 4));
    }
  }

  // Follows a sector chain through `table`, reading sectors of `unit` bytes from `source`
  // (the file for regular sectors, the mini stream for mini sectors).
  std::vector<std::uint8_t> read_chain(std::uint32_t start, const std::vector<std::uint32_t>& table,
                                       std::size_t unit, std::uint64_t limit,
                                       const std::vector<std::uint8_t>* mini_stream = nullptr) const {
    std::vector<std::uint8_t> out;
    std::uint32_t sector = start;
    std::size_t steps = 0;
    while (sector != kEndOfChain) {
      if (sector == kFreeSector) break;
      if (sector >= table.size() || ++steps > table.size())
        throw Failure{"the .xls file has a broken sector chain"};
      if (out.size() + unit > limit + unit) throw Failure{"a stream of the .xls file is too large"};
      if (mini_stream == nullptr) {
        std::size_t offset = sector_offset(sector);
        if (offset + unit > file_.size()) throw Failure{"the .xls file is truncated"};
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(file_.data()) + offset;
        out.insert(out.end(), bytes, bytes + unit);
      } else {
        std::size_t offset = static_cast<std::size_t>(sector) * unit;
        if (offset + unit > mini_stream->size()) throw Failure{"the .xls file has a broken mini stream"};
        out.insert(out.end(), mini_stream->begin() + static_cast<std::ptrdiff_t>(offset),
                   mini_stream->begin() + static_cast<std::ptrdiff_t>(offset + unit));
      }
      sector = table[sector];
    }
    return out;
  }

  static bool name_matches(const std::uint8_t* entry, std::string_view wanted) {
    std::uint16_t length;
    std::memcpy(&length, entry + 64, 2);  // bytes, including the UTF-16 terminator
    if (length < 2 || length > 64 || static_cast<std::size_t>(length - 2) / 2 != wanted.size()) return false;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      std::uint16_t ch = static_cast<std::uint16_t>(entry[i * 2] | (entry[i * 2 + 1] << 8));
      char w = wanted[i];
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<std::uint16_t>(ch + 32);
      if (w >= 'A' && w <= 'Z') w = static_cast<char>(w + 32);
      if (ch != static_cast<unsigned char>(w)) return false;
    }
    return true;
  }

  std::vector<std::uint8_t> read_stream(const std::uint8_t* entry, const std::uint8_t* root) const {
    std::uint32_t start;
    std::uint64_t size;
    std::memcpy(&start, entry + 116, 4);
    std::memcpy(&size, entry + 120, 8);
    if (sector_size_ == 512) size &= 0xFFFFFFFFu;  // version 3 files keep only 32 bits
    if (size > max_size_) throw Failure{"the workbook stream of the .xls file is too large"};
    std::vector<std::uint8_t> data;
    if (size < mini_cutoff_) {
      // Small streams live in the mini stream, itself stored in the root entry's chain.
      std::uint32_t root_start;
      std::uint64_t root_size;
      std::memcpy(&root_start, root + 116, 4);
      std::memcpy(&root_size, root + 120, 8);
      if (sector_size_ == 512) root_size &= 0xFFFFFFFFu;
      std::vector<std::uint8_t> mini_stream = read_chain(root_start, fat_, sector_size_, max_size_);
      if (mini_stream.size() > root_size) mini_stream.resize(static_cast<std::size_t>(root_size));
      std::vector<std::uint8_t> raw = read_chain(first_mini_fat_sector_, fat_, sector_size_, max_size_);
      std::vector<std::uint32_t> mini_fat(raw.size() / 4);
      if (!mini_fat.empty()) std::memcpy(mini_fat.data(), raw.data(), mini_fat.size() * 4);
      data = read_chain(start, mini_fat, mini_sector_size_, max_size_, &mini_stream);
    } else {
      data = read_chain(start, fat_, sector_size_, max_size_);
    }
    if (data.size() < size) throw Failure{"a stream of the .xls file is truncated"};
    data.resize(static_cast<std::size_t>(size));
    return data;
  }

  std::span<const std::byte> file_;
  std::uint64_t max_size_;
  std::size_t sector_size_ = 512;
  std::size_t mini_sector_size_ = 64;
  std::size_t sector_count_ = 0;
  std::uint32_t fat_sector_count_ = 0;
  std::uint32_t first_directory_sector_ = 0;
  std::uint32_t mini_cutoff_ = 4096;
  std::uint32_t first_mini_fat_sector_ = 0;
  std::uint32_t first_difat_sector_ = 0;
  std::uint32_t difat_sector_count_ = 0;
  std::vector<std::uint32_t> fat_;
};

}  // namespace

CompoundStream read_compound_stream(std::span<const std::byte> file,
                                    const std::vector<std::string_view>& names, std::uint64_t max_size) {
  return Container(file, max_size).read(names);
}

}  // namespace gotong::forms::xlsform
