#!/bin/bash
# usage: perf2-rss.sh DATADIR PORT
D=$1; P=$2
LOOKOUT_DATA_DIR=$D PORT=$P LOG_LEVEL=silent SHOPIFY_API_SECRET=x node dist/cli.js start > /dev/null 2>&1 &
PID=$!
for i in $(seq 1 300); do curl -sf localhost:$P/readyz >/dev/null && break; sleep 0.2; done
sleep 5
echo "ready; RSS $(grep VmRSS /proc/$PID/status) HWM $(grep VmHWM /proc/$PID/status) children: $(pgrep -P $PID | wc -l)"
kill -TERM $PID; wait $PID
