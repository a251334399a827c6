#!/usr/bin/env bash
# A throwaway team hub for trying `anno hub` and `anno sync` on one machine: a PostgreSQL
# cluster in a temporary folder, on a free loopback port, with TLS (a self-signed certificate)
# and password logins, and an empty database `anno_hub`. It prints the hub's URL and the
# owner's password, then runs until Ctrl-C, when the server is stopped and the folder removed.
# With --detach it returns at once and prints the command that stops it.
#
#   scripts/hub-dev.sh            # foreground; Ctrl-C stops and removes everything
#   scripts/hub-dev.sh --detach   # background; run the printed 'stop' command when done
set -euo pipefail

detach=false
case "${1:-}" in
  --detach) detach=true ;;
  "") ;;
  *) echo "usage: $0 [--detach]" >&2; exit 64 ;;
esac

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "hub-dev: PostgreSQL is not installed: apt-get install postgresql" >&2
  exit 1
fi
# As root, the server runs as the postgres user (PostgreSQL refuses to run as root).
as_postgres=()
if [ "$(id -u)" = 0 ]; then as_postgres=(runuser -u postgres --); fi

folder=$(mktemp -d /tmp/anno-hub-dev.XXXXXX)
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
printf '%s\n' "$password" > "$folder/password"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$folder"; fi
chmod 700 "$folder"

stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}

"${as_postgres[@]}" "$bin/initdb" -D "$folder/data" -U anno_admin --pwfile="$folder/password" \
  --auth=scram-sha-256 -E UTF8 --locale=C >/dev/null
"${as_postgres[@]}" openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
  -keyout "$folder/data/server.key" -out "$folder/data/server.crt" 2>/dev/null
"${as_postgres[@]}" chmod 600 "$folder/data/server.key"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >> "$folder/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$folder'
ssl = on
CONF
if ! "${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w start >/dev/null; then
  cat "$folder/server.log" >&2 || true
  stop
  exit 1
fi
PGPASSWORD=$password "$bin/psql" -qX -h 127.0.0.1 -p "$port" -U anno_admin -d postgres \
  -c 'CREATE DATABASE anno_hub' >/dev/null

url="postgres://anno_admin@127.0.0.1:$port/anno_hub"
cat <<TEXT
hub-dev: PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port (TLS on, self-signed), folder $folder
  export PGPASSWORD='$password'   # the owner's password (anno_admin)
  anno hub init $url
  anno hub add-member ann1 --role annotator --hub $url
  anno hub status $url
TEXT
if $detach; then
  echo "stop it with: ${as_postgres[*]} $bin/pg_ctl -D $folder/data -m fast stop && rm -rf $folder"
  exit 0
fi
trap 'echo; echo "hub-dev: stopping"; stop; exit 0' INT TERM
echo "hub-dev: running; Ctrl-C stops the server and removes $folder"
while "${as_postgres[@]}" "$bin/pg_ctl" -D "$folder/data" status >/dev/null 2>&1; do sleep 2; done
echo "hub-dev: the server stopped" >&2
stop
exit 1
