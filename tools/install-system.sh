#!/usr/bin/env bash
# Installs the system packages rnnkit's tests and tools need on Debian bookworm (run as root, or
# with sudo available): Mesa's lavapipe Vulkan driver from bookworm-backports, so WebGPU (Dawn)
# runs without a GPU (bookworm's own Mesa 22.3 is rejected by Dawn).
#   --with-torch   also PyTorch and torchaudio (CPU), used by tools/fixtures/ and CPU baselines, and
#                  OpenBLAS: Debian's torch links the generic libblas.so.3, which with only libblas3
#                  is the reference BLAS, ~10x slower (tools/bench/torch_blas.py refuses to time it);
#                  and the Python modules tools/fixtures/seq2seq_metrics.py needs (sacreBLEU, run from
#                  its source, imports regex, tabulate, portalocker, colorama, lxml; WER/CER use
#                  Levenshtein; seq2seq_lm.py uses NLTK;
#                  bench:ctc-decode's pyctcdecode baseline, pygtrie)
set -euo pipefail

with_torch=0
for arg in "$@"; do
  case "$arg" in
    --with-torch) with_torch=1 ;;
    *) echo "install-system.sh: unknown argument '$arg' (expected --with-torch)" >&2; exit 2 ;;
  esac
done

if ! command -v apt-get >/dev/null; then
  echo "install-system.sh: no apt-get here; install a Vulkan driver (Mesa lavapipe >= 23) yourself for WebGPU." >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive

mesa_version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
packages=()
if ! dpkg --compare-versions "${mesa_version:-0}" ge 23; then packages+=(mesa-vulkan-drivers libvulkan1); fi
torch=()
if [ "$with_torch" = 1 ] && ! /usr/bin/python3 -c 'import torch, torchaudio' 2>/dev/null; then torch=(python3-torch python3-torchaudio); fi
if [ "$with_torch" = 1 ] && [ "$(dpkg-query -W -f='${db:Status-Abbrev}' libopenblas0-pthread 2>/dev/null || true)" != "ii " ]; then torch+=(libopenblas0-pthread); fi
if [ "$with_torch" = 1 ] && ! /usr/bin/python3 -c 'import regex, tabulate, portalocker, colorama, lxml, Levenshtein, nltk, pygtrie' 2>/dev/null; then
  torch+=(python3-regex python3-tabulate python3-portalocker python3-colorama python3-lxml python3-levenshtein python3-nltk python3-pygtrie)
fi

if [ ${#packages[@]} -gt 0 ] || [ ${#torch[@]} -gt 0 ]; then
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" = bookworm ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' |
      $sudo tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
  fi
  $sudo apt-get update -qq
  if [ ${#packages[@]} -gt 0 ]; then
    target=()
    [ "${VERSION_CODENAME:-}" = bookworm ] && target=(-t bookworm-backports)
    $sudo apt-get install -y -qq --no-install-recommends "${target[@]}" "${packages[@]}" >/dev/null
  fi
  if [ ${#torch[@]} -gt 0 ]; then $sudo apt-get install -y -qq --no-install-recommends "${torch[@]}" >/dev/null; fi
fi
if [ "$with_torch" = 1 ]; then
  # OpenBLAS's alternative has the higher priority; only one set by hand to the reference BLAS stays there.
  for alt in $(update-alternatives --get-selections 2>/dev/null | awk '$1 ~ /^libblas\.so\.3-/ && $2 == "manual" && $3 ~ /\/blas\// {print $1}'); do
    $sudo update-alternatives --quiet --auto "$alt"
  done
fi
echo "install-system.sh: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
if [ "$with_torch" = 1 ]; then /usr/bin/python3 "$(dirname "$0")/bench/torch_blas.py"; fi
