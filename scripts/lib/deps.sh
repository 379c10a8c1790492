# deps.sh: sourced by scripts/test and scripts/demo. Installs the Debian
# packages vendormatch needs when they are missing: with apt-get when run as
# root, otherwise it prints the exact command to run and stops.

VM_BUILD_PACKAGES="gcc make cmake pkg-config libpq-dev libcsv-dev libjansson-dev libutf8proc-dev libssl-dev zlib1g-dev libzip-dev libexpat1-dev iso-codes postgresql scdoc"
# The fuzz targets (scripts/fuzz): clang, libFuzzer and the sanitizer
# runtimes (libclang-rt-14-dev), llvm-symbolizer for readable stacks (llvm-14).
VM_FUZZ_PACKAGES="clang-14 libclang-rt-14-dev llvm-14"

vm_missing_packages() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]}"
}

# vm_require_packages PKG...: installs what is missing, or explains how.
vm_require_packages() {
  local missing
  missing=$(vm_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing missing packages: $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || { echo "apt-get update failed" >&2; return 1; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null \
      || { echo "apt-get install $missing failed" >&2; return 1; }
  else
    echo "Missing packages: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    echo "then run this script again." >&2
    return 1
  fi
}
