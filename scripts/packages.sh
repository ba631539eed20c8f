# Debian 12 packages Gotong needs, and a function that installs the missing ones.
# Sourced by ./run and ./test; every dependency comes from Debian (see docs/ARCHITECTURE.md).

GOTONG_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config ccache
  libboost1.81-dev libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  zlib1g-dev libpugixml-dev libzip-dev libxlsxwriter-dev
  libgtest-dev libbenchmark-dev libpq-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
)
GOTONG_TEST_PACKAGES=(python3 sqlite3 postgresql chromium poppler-utils libxml2-utils)
# The web app (web/) is built and the browser tests run on Node.js; Debian's nodejs and npm only
# where none is installed.
command -v node >/dev/null || GOTONG_BUILD_PACKAGES+=(nodejs npm)

# gotong_install_packages NAME...: installs those not yet installed (as root, or with sudo).
gotong_install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
