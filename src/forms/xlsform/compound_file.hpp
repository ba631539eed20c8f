// Reads one named stream out of an OLE2 Compound File (the container of legacy .xls files)
// held in memory. Every sector number, chain and size is checked against the file, so a
// hostile file yields an error, never an out-of-bounds read or an endless loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gotong::forms::xlsform {

struct CompoundStream {
  std::vector<std::uint8_t> data;
  std::string error;  // set when the container is damaged; data is then empty
  bool found = false;
};

// The stream whose directory name equals one of `names` (ASCII, case-insensitive); the first
// name found wins. `max_size` bounds the stream.
CompoundStream read_compound_stream(std::span<const std::byte> file,
                                    const std::vector<std::string_view>& names, std::uint64_t max_size);

}  // namespace gotong::forms::xlsform
