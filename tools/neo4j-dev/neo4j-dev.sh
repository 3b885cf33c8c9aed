#!/usr/bin/env bash
# Build, start and stop a real Neo4j 5.26 server (embedded, Bolt on 127.0.0.1) for tests and development.
#
#   neo4j-dev.sh build            compile the launcher and fetch its runtime jars (cached in ~/.m2)
#   neo4j-dev.sh start STATE_DIR [PORT]
#                                 start on PORT (default: a free one) with its own data under STATE_DIR; waits
#                                 until Bolt answers, then prints the bolt URI (also written to STATE_DIR/uri).
#                                 Started again with the same STATE_DIR and PORT, it serves the same data there
#   neo4j-dev.sh start-many STATE_DIR NAME [NAME ...]
#                                 start one server per NAME, each with its own data under STATE_DIR/NAME and a
#                                 free port (its URI in STATE_DIR/NAME/uri), all in one JVM: a test run,
#                                 which needs two or three, so loads and compiles Neo4j once rather than once
#                                 each. stop and discard take STATE_DIR and end them all. NEO4J_DEV_HEAP, if
#                                 set, is the heap they share (by default 768m and 384m for each other server)
#   neo4j-dev.sh stop STATE_DIR   stop the server started with that STATE_DIR, by its pid
#   neo4j-dev.sh discard STATE_DIR
#                                 kill that server outright and delete STATE_DIR: for a throwaway server
#                                 (the tests'), whose clean stop takes seconds to save what is then deleted
#
# Needs Java 17+ and Maven. Nothing here talks to any host but Maven Central (build) and 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

build() {
  if [[ -f "$here/target/neo4j-dev-1.0.0.jar" && -d "$here/target/lib" \
        && "$here/target/neo4j-dev-1.0.0.jar" -nt "$here/pom.xml" \
        && "$here/target/neo4j-dev-1.0.0.jar" -nt "$here/src/main/java/org/pupildata/neo4jdev/Launcher.java" ]]; then
    return 0
  fi
  (cd "$here" && mvn -q -B -DskipTests package)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

bolt_answers() {
  # Bolt handshake: the server answers the 20-byte preamble with a 4-byte chosen version.
  python3 - "$1" <<'PY'
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2) as s:
        s.sendall(b"\x60\x60\xb0\x17" + b"\x00\x00\x05\x05" + b"\x00" * 12)
        sys.exit(0 if len(s.recv(4)) == 4 else 1)
except OSError:
    sys.exit(1)
PY
}

# our_launcher PID: whether PID is a launcher of ours (not a process the system has given that pid since)
our_launcher() {
  grep -q "org.pupildata.neo4jdev.Launcher" "/proc/$1/cmdline" 2>/dev/null
}

# launch STATE_DIR HEAP HOME PORT [HOME PORT ...]: one JVM serving a server on each PORT with its data in HOME;
# returns once every port answers Bolt. Refused while the JVM last launched on STATE_DIR runs: its pid would be
# replaced, and it would then never be stopped.
launch() {
  local state="$1" heap="$2"
  shift 2
  if [[ -f "$state/pid" ]] && our_launcher "$(cat "$state/pid")"; then
    echo "neo4j-dev: servers started on $state are running (pid $(cat "$state/pid")); stop or discard them first" >&2
    exit 1
  fi
  build
  nohup java -Xms"$heap" -Xmx"$heap" \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$here/target/neo4j-dev-1.0.0.jar:$here/target/lib/*" \
    org.pupildata.neo4jdev.Launcher "$here/neo4j.conf" "$@" >"$state/neo4j.log" 2>&1 &
  echo $! >"$state/pid"
  local deadline=$((SECONDS + 120)) port
  while (($#)); do
    port="$2"
    shift 2
    until bolt_answers "$port"; do
      if ! kill -0 "$(cat "$state/pid")" 2>/dev/null; then
        echo "neo4j-dev: the server exited while starting; its log:" >&2
        tail -n 40 "$state/neo4j.log" >&2
        exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "neo4j-dev: Bolt did not answer on 127.0.0.1:$port within 120 s; see $state/neo4j.log" >&2
        stop "$state"
        exit 1
      fi
      sleep 0.5
    done
  done
}

start() {
  local state="$1"
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  local port="${2:-}"
  [[ -n "$port" ]] || port="$(free_port)"
  # The heap and neo4j.conf's page cache together keep a national-scale build under 1.5 GB resident;
  # NEO4J_DEV_HEAP overrides the heap for a bigger machine.
  launch "$state" "${NEO4J_DEV_HEAP:-768m}" "$state/home" "$port"
  echo "bolt://127.0.0.1:$port" | tee "$state/uri"
}

start_many() {
  local state="$1" name
  shift
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  local servers=() ports=()
  for name in "$@"; do  # Neo4j makes each home, and the folder its uri goes in, as it starts
    ports+=("$(free_port)")
    servers+=("$state/$name/home" "${ports[-1]}")
  done
  # the test-sized graphs share one heap: the first server's 768m and 384m for each other
  launch "$state" "${NEO4J_DEV_HEAP:-$((768 + 384 * ($# - 1)))m}" "${servers[@]}"
  local i=0
  for name in "$@"; do
    echo "bolt://127.0.0.1:${ports[$i]}" | tee "$state/$name/uri"
    i=$((i + 1))
  done
}

stop() {
  local state="$1" pid
  [[ -f "$state/pid" ]] || return 0
  pid="$(cat "$state/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state/pid" "$state/uri"
}

discard() {
  local state="$1" pid
  if [[ -f "$state/pid" ]]; then
    pid="$(cat "$state/pid")"
    if our_launcher "$pid"; then
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -rf "$state"
}

case "${1:-}" in
  build) build ;;
  start) start "${2:?usage: neo4j-dev.sh start STATE_DIR [PORT]}" "${3:-}" ;;
  start-many)
    if (($# < 3)); then echo "usage: neo4j-dev.sh start-many STATE_DIR NAME [NAME ...]" >&2; exit 2; fi
    start_many "${@:2}" ;;
  stop) stop "${2:?usage: neo4j-dev.sh stop STATE_DIR}" ;;
  discard) discard "${2:?usage: neo4j-dev.sh discard STATE_DIR}" ;;
  *) echo "usage: neo4j-dev.sh (build | start STATE_DIR [PORT] | start-many STATE_DIR NAME... | stop STATE_DIR | discard STATE_DIR)" >&2; exit 2 ;;
esac
