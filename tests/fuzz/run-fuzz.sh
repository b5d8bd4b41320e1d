#!/bin/sh
# Runs one harness briefly: new inputs go to a scratch folder in the build
# tree, the committed seed corpus is only read.
set -eu
exe=$1 seeds=$2 scratch=$3 seconds=${4:-20}
mkdir -p "$scratch"
exec "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 "$scratch" "$seeds"
