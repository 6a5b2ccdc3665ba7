#!/bin/bash
# Instructions per TFTP DATA block in Bootlab's server process (valgrind callgrind: deterministic, unlike
# wall clock or CPU time on a busy machine). Runs the compiled TFTP child (bench/tftp.ts builds it into
# node_modules/.cache/bootlab-bench/) twice under callgrind: once started and stopped, once serving one
# 4 MiB file to atftp; (total - start/stop) / blocks = instructions per block.
#   bench/tftp-callgrind.sh [bundle.mjs] [blksize=1468] [windowsize=1]
# Slow (about a minute per run under valgrind). Output files stay in the printed folder.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bundle=${1:-$here/node_modules/.cache/bootlab-bench/tftp-serve-child.mjs}
blk=${2:-1468}
win=${3:-1}
work=$(mktemp -d "${TMPDIR:-/tmp}/bootlab-callgrind-XXXXXX")
mkdir "$work/root"
head -c 4194304 /dev/urandom > "$work/root/f4.bin"
opts="{\"bootRoot\":\"$work/root\",\"ifname\":\"lo\",\"tftp\":{\"maxBlockSize\":65464,\"maxWindowSize\":64,\"maxBytesInFlight\":16777216,\"timeoutMs\":5000}}"

one() { # $1 = tag, $2 = 1 to transfer
  local tag=$1 out="$work/$1.callgrind"
  mkfifo "$work/$tag.fifo"
  exec 3<>"$work/$tag.fifo" # a writer stays open: the child's stdin never ends
  valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$out" \
    node "$bundle" "$opts" < "$work/$tag.fifo" > "$work/$tag.stdout" 2> "$work/$tag.valgrind" &
  local vp=$!
  for _ in $(seq 600); do grep -q READY "$work/$tag.stdout" 2>/dev/null && break; sleep 0.5; done
  local port
  port=$(grep -o 'READY [0-9]*' "$work/$tag.stdout" | cut -d' ' -f2)
  if [ "$2" = 1 ]; then
    local wopt=()
    [ "$win" != 1 ] && wopt=(--option "windowsize $win")
    atftp --tftp-timeout 5 --option "blksize $blk" "${wopt[@]}" -g -r f4.bin -l "$work/$tag.got" 127.0.0.1 "$port"
    [ "$(stat -c %s "$work/$tag.got")" = 4194304 ] || { echo "transfer incomplete" >&2; exit 1; }
  fi
  kill -TERM "$vp"; wait "$vp" || true
  exec 3>&-
  grep -E '^totals' "$out" | cut -d' ' -f2
}

idle=$(one idle 0)
busy=$(one busy 1)
blocks=$((4194304 / blk + 1))
echo "blksize $blk windowsize $win: $(( (busy - idle) / blocks )) instructions per block ($busy - $idle over $blocks blocks; files in $work)"
