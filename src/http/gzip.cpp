#include "http/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

#include "http/message.hpp"

namespace gotong::http {

namespace {

// windowBits 15 with 16 added asks zlib for the gzip wrapper instead of the zlib one.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;

class Deflater {
 public:
  explicit Deflater(int level) {
    if (deflateInit2(&zs_, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("gzip: deflateInit2 failed");
  }
  ~Deflater() { deflateEnd(&zs_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  z_stream& stream() { return zs_; }

 private:
  z_stream zs_{};
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
// Returns thousandths, or -1 when the value does not follow the grammar.
int parse_qvalue(std::string_view v) {
  if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
  int whole = v[0] - '0';
  if (v.size() == 1) return whole * 1000;
  if (v[1] != '.' || v.size() > 5) return -1;
  int frac = 0, digits = 0;
  for (char c : v.substr(2)) {
    if (c < '0' || c > '9') return -1;
    frac = frac * 10 + (c - '0');
    ++digits;
  }
  for (; digits < 3; ++digits) frac *= 10;
  if (whole == 1 && frac != 0) return -1;
  return whole * 1000 + frac;
}

// The q of one Accept-Encoding element's parameters ("; q=0.5"); 1000 when absent.
int element_q(std::string_view params) {
  int q = 1000;
  while (!params.empty()) {
    std::size_t semi = params.find(';');
    std::string_view param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    std::size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!iequals(trim(param.substr(0, eq)), "q")) continue;
    q = parse_qvalue(trim(param.substr(eq + 1)));
    if (q < 0) return 0;  // malformed: treat the coding as not acceptable
  }
  return q;
}

}  // namespace

std::string gzip_compress(std::string_view data, int level) {
  Deflater deflater(std::clamp(level, 0, 9));
  z_stream& zs = deflater.stream();
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(std::min<std::size_t>(data.size(), ULONG_MAX))) + 64);
  std::size_t in_pos = 0, out_pos = 0;
  // avail_in/avail_out are 32-bit, so bodies above 4 GiB go through in slices.
  constexpr std::size_t kSlice = std::size_t{1} << 30;
  for (;;) {
    std::size_t in_now = std::min(data.size() - in_pos, kSlice);
    if (out_pos == out.size()) out.resize(out.size() * 2 + 64);
    std::size_t out_now = std::min(out.size() - out_pos, kSlice);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
    zs.avail_in = static_cast<uInt>(in_now);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + out_pos);
    zs.avail_out = static_cast<uInt>(out_now);
    bool last = in_pos + in_now == data.size();
    int rc = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
    in_pos += in_now - zs.avail_in;
    out_pos += out_now - zs.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::runtime_error("gzip: deflate failed");
  }
  out.resize(out_pos);
  return out;
}

bool accepts_encoding(std::string_view accept_encoding, std::string_view wanted) {
  const bool gzip = iequals(wanted, "gzip");
  int named_q = -1, star_q = -1;
  while (!accept_encoding.empty()) {
    std::size_t comma = accept_encoding.find(',');
    std::string_view element = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    std::size_t semi = element.find(';');
    std::string_view coding = trim(element.substr(0, semi));
    std::string_view params = semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1);
    if (iequals(coding, wanted) || (gzip && iequals(coding, "x-gzip"))) {
      named_q = std::max(named_q, element_q(params));
    } else if (coding == "*") {
      star_q = std::max(star_q, element_q(params));
    }
  }
  // A coding named explicitly wins over "*" (RFC 9110 §12.5.3).
  return named_q >= 0 ? named_q > 0 : star_q > 0;
}

bool accepts_gzip(std::string_view accept_encoding) { return accepts_encoding(accept_encoding, "gzip"); }

bool is_compressible_type(std::string_view content_type) {
  std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  std::string_view t = lower;
  if (t.starts_with("text/")) return t.size() > 5;
  if (t == "application/json" || t == "application/problem+json" || t == "application/javascript" ||
      t == "application/xml" || t == "image/svg+xml" || t == "application/geo+json" ||
      t == "application/manifest+json")
    return true;
  return t.starts_with("application/") && (t.ends_with("+xml") || t.ends_with("+json"));
}

}  // namespace gotong::http
