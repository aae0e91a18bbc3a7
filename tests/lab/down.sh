#!/usr/bin/env bash
# Stops everything tests/lab/up.sh started and removes what it created.
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/lab/lab.env
source tests/lab/lab.env
in_lab() { ip netns exec "$LAB_NS" "$@"; }

if ip netns list | grep -qw "$LAB_NS"; then
  for dir in "$LAB_RUN"/postfix-*/etc; do
    [[ -f $dir/main.cf ]] && in_lab postfix -c "$PWD/$dir" stop >/dev/null 2>&1
  done
  [[ -f $LAB_RUN/dovecot/dovecot.conf ]] && in_lab doveadm -c "$PWD/$LAB_RUN/dovecot/dovecot.conf" stop >/dev/null 2>&1
fi
for pidfile in "$LAB_RUN"/pid/*.pid; do
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null
  pkill -P "$pid" 2>/dev/null
done
# Whatever still runs in the namespace was started by the lab.
if ip netns list | grep -qw "$LAB_NS"; then
  pids=$(ip netns pids "$LAB_NS")
  [[ -n $pids ]] && kill $pids 2>/dev/null
  for _ in $(seq 50); do
    [[ -z $(ip netns pids "$LAB_NS") ]] && break
    sleep 0.1
  done
  pids=$(ip netns pids "$LAB_NS")
  [[ -n $pids ]] && kill -9 $pids 2>/dev/null
  ip netns delete "$LAB_NS"
fi
rm -rf "/etc/netns/$LAB_NS"
# What up.sh made goes; the logs (and messages the tests captured) stay for reading.
if [[ -d $LAB_RUN ]]; then
  find "$LAB_RUN" -mindepth 1 -maxdepth 1 ! -name log ! -name captured ! -name exim -exec rm -rf {} +
  find "$LAB_RUN/exim" -mindepth 1 -maxdepth 1 ! -name log -exec rm -rf {} + 2>/dev/null
fi
echo "lab: down"
