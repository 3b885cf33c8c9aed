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
#   neo4j-dev.sh java             print the major version and path of the java it runs Neo4j with (below)
#   neo4j-dev.sh discard STATE_DIR
#                                 kill that server outright and delete STATE_DIR: for a throwaway server
#                                 (the tests'), whose clean stop takes seconds to save what is then deleted
#                                 (but a JVM still learning, below, is stopped cleanly, so that it keeps that,
#                                 unless NEO4J_DEV_KEEP_LEARNED=0: a test run that stopped short)
#
# Needs Java 17+ and Maven. Nothing here talks to any host but Maven Central (build) and 127.0.0.1.
#
# Java: NEO4J_DEV_JAVA if set; otherwise the java on PATH, unless it is older than 25 and a JDK of 25 or later
# is under /usr/lib/jvm. From 25 the JVM keeps an ahead-of-time cache (JEPs 483, 514 and 515: Neo4j's classes
# loaded and linked, and the profiles of its hot methods) in NEO4J_DEV_CACHE (by default
# ~/.cache/pupil-data-lineage/neo4j-dev), one per launcher, Java and dependencies. A JVM started with
# NEO4J_DEV_LEARN=1 where there is none yet learns (-XX:AOTCacheOutput) and writes it as it stops cleanly
# (a whole test run does, so that the cache holds what the tests use); every later one starts from it. In a
# test run, the JIT compiling Neo4j's code took 135 s of the 355 s of CPU (benchmarks/README.md). A cache
# runs from copies of its jars beside it, at a path that is the same for every checkout: it records its class
# path and refuses any other. Delete the folder to learn again. NEO4J_DEV_JAVA_OPTS adds JVM options.
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

# java_major JAVA: its major version (17, 21, 25), or 0 if it does not say
java_major() {
  local major
  major="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')" || true
  echo "${major:-0}"
}

# choose_java: sets JAVA and JAVA_MAJOR (see the header)
choose_java() {
  local candidate major
  JAVA="${NEO4J_DEV_JAVA:-$(command -v java || true)}"
  JAVA_MAJOR="$(java_major "$JAVA")"
  if [[ -n "${NEO4J_DEV_JAVA:-}" ]] || ((JAVA_MAJOR >= 25)); then return 0; fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    if ((major >= 25 && major > JAVA_MAJOR)); then JAVA="$candidate" JAVA_MAJOR="$major"; fi
  done
}

# aot_dir: prints the folder of the ahead-of-time cache for JAVA, this launcher and its jars, with copies of
# the jars (made the first time, when the folders of other Javas' or launchers' caches are deleted). Fails for
# a Java older than 25, which keeps none, or where the folder cannot be made: Neo4j then runs without.
aot_dir() {
  ((JAVA_MAJOR >= 25)) || return 1
  local root key dir making
  root="${NEO4J_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pupil-data-lineage/neo4j-dev}"
  key="$( { "$JAVA" -version 2>&1; cat "$here/pom.xml" "$here/src/main/java/org/pupildata/neo4jdev/Launcher.java"
            ls "$here/target/lib"; } | sha256sum | cut -c1-16)" || return 1
  dir="$root/$key"
  if [[ ! -d "$dir" ]]; then  # made beside its place and renamed in whole: two first runs at once make one
    mkdir -p "$root" && making="$(mktemp -d "$dir.making.XXXXXX")" || return 1
    if cp "$here/target/neo4j-dev-1.0.0.jar" "$making/neo4j-dev.jar" && cp -r "$here/target/lib" "$making/lib" \
        && mv -T "$making" "$dir" 2>/dev/null; then
      find "$root" -mindepth 1 -maxdepth 1 ! -name "$key" \( ! -name "*.making.*" -o -mmin +60 \) -exec rm -rf {} +
    fi
    rm -rf "$making"
  fi
  [[ -f "$dir/neo4j-dev.jar" && -d "$dir/lib" ]] || return 1
  echo "$dir"
}

# keep_learned STATE_DIR: once its JVM has exited, the cache it learned moves into place if it was written
# whole (the JVM's log says so), and is deleted otherwise (killed while writing, or never stopped cleanly).
keep_learned() {
  local state="$1" learned
  [[ -f "$state/learning" ]] || return 0
  learned="$(cat "$state/learning")"
  if [[ -s "$learned" ]] && grep -qF "AOTCache creation is complete: $learned" "$state/neo4j.log" 2>/dev/null; then
    mv -f "$learned" "${learned%.*}"
  fi
  forget_learned "$state"
}

# forget_learned STATE_DIR: delete what its exited JVM learned, if anything is left of it
forget_learned() {
  local state="$1" learned
  [[ -f "$state/learning" ]] || return 0
  learned="$(cat "$state/learning")"
  rm -f "$learned" "$learned.config" "$state/learning"
}

# end_now PID: kill the JVM and whatever it started (a JVM writing its cache does so in a child JVM), at once
end_now() {
  kill -9 -- "-$1" 2>/dev/null || kill -9 "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do our_launcher "$1" || break; sleep 0.1; done
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
  choose_java
  local classes="$here/target/neo4j-dev-1.0.0.jar:$here/target/lib/*" aot_options=() options=() dir learned
  forget_learned "$state"  # what is left of a JVM launched here before, and gone
  if dir="$(aot_dir)"; then
    classes="$dir/neo4j-dev.jar:$dir/lib/*"
    # its warnings (a class from a signed jar, say, is left out) would fill the log that says why a start failed
    if [[ -f "$dir/neo4j.aot" ]]; then
      aot_options=(-XX:AOTCache="$dir/neo4j.aot" "-Xlog:aot*=error")
    elif [[ "${NEO4J_DEV_LEARN:-}" == 1 ]]; then  # the cache this JVM writes as it stops cleanly; stop moves it in
      learned="$(mktemp -u "$dir/neo4j.aot.XXXXXX")"
      echo "$learned" >"$state/learning"
      aot_options=(-XX:AOTCacheOutput="$learned" "-Xlog:aot*=error")
    fi
  fi
  read -ra options <<<"${NEO4J_DEV_JAVA_OPTS:-}"
  # setsid: the JVM leads a process group of its own, so that ending it ends what it started
  nohup setsid "$JAVA" -Xms"$heap" -Xmx"$heap" "${aot_options[@]}" "${options[@]}" \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$classes" \
    org.pupildata.neo4jdev.Launcher "$here/neo4j.conf" "$@" >"$state/neo4j.log" 2>&1 &
  echo $! >"$state/pid"
  local deadline=$((SECONDS + 120)) port
  while (($#)); do
    port="$2"
    shift 2
    until bolt_answers "$port"; do
      if ! our_launcher "$(cat "$state/pid")"; then
        forget_learned "$state"  # the failed start's JVM wrote a cache as it exited: of a start, not of work
        echo "neo4j-dev: the server exited while starting; its log:" >&2
        grep -v "AOT" "$state/neo4j.log" | tail -n 40 >&2
        exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "neo4j-dev: Bolt did not answer on 127.0.0.1:$port within 120 s; see $state/neo4j.log" >&2
        end_now "$(cat "$state/pid")"  # not stopped: a JVM learning would write its cache
        forget_learned "$state"
        rm -f "$state/pid"
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
  local state="$1" pid waits=60
  if [[ -f "$state/learning" ]]; then waits=600; fi  # writing what it learned as it exits took a JVM 43 s here
  if [[ -f "$state/pid" ]] && our_launcher "$(cat "$state/pid")"; then
    pid="$(cat "$state/pid")"
    kill "$pid"
    for _ in $(seq 1 "$waits"); do our_launcher "$pid" || break; sleep 0.5; done
    end_now "$pid"
  fi
  keep_learned "$state"  # also a JVM that stopped by itself: it wrote what it learned as it exited
  rm -f "$state/pid" "$state/uri"
}

# discard STATE_DIR (see the header); NEO4J_DEV_KEEP_LEARNED=0 kills a JVM still learning too, keeping nothing
discard() {
  local state="$1"
  if [[ -f "$state/learning" && "${NEO4J_DEV_KEEP_LEARNED:-1}" == 1 ]]; then
    stop "$state"  # cleanly: the JVM writes what it learned as it exits, and stop keeps it
  elif [[ -f "$state/pid" ]] && our_launcher "$(cat "$state/pid")"; then
    end_now "$(cat "$state/pid")"
  fi
  forget_learned "$state"
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
  java) choose_java; echo "$JAVA_MAJOR $JAVA" ;;
  *) echo "usage: neo4j-dev.sh (build | start STATE_DIR [PORT] | start-many STATE_DIR NAME... | stop STATE_DIR | discard STATE_DIR | java)" >&2; exit 2 ;;
esac
