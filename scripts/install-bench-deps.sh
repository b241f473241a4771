#!/bin/sh
# Installs the PyTorch peer of `./clpipe bench learner` (bench/torch_mlp.py) from Debian:
# python3-torch 1.13, and OpenBLAS as the system libblas.so.3. Without libopenblas0-pthread
# Debian's torch falls back to the reference BLAS and runs ~25x slower (2k samples/s instead of
# ~50k at batch 128 on 2 cores), which would make the comparison meaningless.
# Run as root (or through sudo). Idempotent.
set -eu
if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends python3 python3-torch libopenblas0-pthread
/usr/bin/python3 -c 'import torch; print("torch", torch.__version__, "installed")'
