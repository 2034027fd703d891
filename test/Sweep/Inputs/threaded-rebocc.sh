#!/bin/sh
# A rebocc whose --help lists a thread-count option (--jobs), for
# threads.test: it logs its arguments to $SWEEP_LOG and runs the real rebocc
# ($SWEEP_REBOCC) without --jobs=1.
if [ "$1" = "--help" ]; then
  echo "  --jobs=<uint>   - Threads to use"
  exit 0
fi
echo "$@" >> "$SWEEP_LOG"
for a in "$@"; do
  shift
  [ "$a" = "--jobs=1" ] || set -- "$@" "$a"
done
exec "$SWEEP_REBOCC" "$@"
