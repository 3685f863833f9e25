# shellcheck shell=bash
# Shared by the deploy/ scripts (sourced, not run). Everything runs from the jars the Maven build left in
# driver/target/lib: nothing is downloaded.
#
# State (pid files, logs, generated configs, the Spark home, broker data) lives in $GRADTUNE_DEPLOY_STATE,
# default deploy/.state. Each daemon's command line carries -Dgradtune.deploy.state=<that directory>, so a stop
# script signals only processes this state directory's start scripts started.

GT_DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GT_ROOT="$(cd "$GT_DEPLOY/.." && pwd)"
GT_LIB="$GT_ROOT/driver/target/lib"
GT_CLUSTER_JAR="$GT_ROOT/cluster/target/gradtune-cluster.jar"
GT_SPARK_RUNTIME="$GT_DEPLOY/target/spark-runtime.classpath"
GT_STATE="${GRADTUNE_DEPLOY_STATE:-$GT_DEPLOY/.state}"
GT_TIMEOUT="${GRADTUNE_DEPLOY_TIMEOUT:-90}"
GT_NAME="$(basename "$0")"

# Spark's module-opening flags for Java 17, the same list as ./gradtune and the pom's gradtune.jvm.opens.
# shellcheck disable=SC2034  # used by the scripts that source this file
GT_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
)

gt_die() {   # gt_die MESSAGE [EXIT_CODE]
  echo "$GT_NAME: $1" >&2
  exit "${2:-1}"
}

gt_usage_error() {
  echo "$GT_NAME: $1 (see $GT_NAME --help)" >&2
  exit 2
}

gt_java() {   # sets GT_JAVA to a Java 17 binary, or dies
  GT_JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if ! "$GT_JAVA" -version 2>&1 | grep -q 'version "17'; then
    gt_die "Java 17 is required (found: $("$GT_JAVA" -version 2>&1 | head -1)); set JAVA_HOME"
  fi
}

gt_require_build() {
  if [[ ! -d "$GT_LIB" || ! -f "$GT_SPARK_RUNTIME" ]]; then
    gt_die "no build found ($GT_LIB, $GT_SPARK_RUNTIME); build first: (cd $GT_ROOT && mvn -B package -DskipTests)"
  fi
}

gt_require_cluster_jar() {
  if [[ ! -f "$GT_CLUSTER_JAR" ]]; then
    gt_die "no cluster jar ($GT_CLUSTER_JAR); build first: (cd $GT_ROOT && mvn -B package -DskipTests)"
  fi
}

# A Spark home whose jars/ links the Spark runtime (Spark and its dependencies, nothing of gradtune's; listed by
# the deploy module's build in target/spark-runtime.classpath) from driver/target/lib. Executors launched by a
# worker get exactly these jars, as from a Spark distribution, plus the application jar spark-submit ships.
gt_spark_home() {   # sets and exports SPARK_HOME, SPARK_SCALA_VERSION
  gt_require_build
  local home="$GT_STATE/spark-home" wanted=() entry name target
  mapfile -t wanted < <(tr ':' '\n' <"$GT_SPARK_RUNTIME")
  mkdir -p "$home"
  local fresh="$home/jars.new.$$"
  rm -rf "$fresh"
  mkdir -p "$fresh"
  for entry in "${wanted[@]}"; do
    name="$(basename "$entry")"
    if [[ -f "$GT_LIB/$name" ]]; then
      target="$GT_LIB/$name"
    elif [[ -f "$entry" ]]; then
      target="$entry"   # a version only Spark uses (not in driver/target/lib): the local Maven repository's copy
    else
      rm -rf "$fresh"
      gt_die "Spark runtime jar $name is in neither $GT_LIB nor the local Maven repository; rebuild: mvn -B package -DskipTests"
    fi
    ln -s "$target" "$fresh/$name"
  done
  # Replace jars/ only when the set changed, so a running cluster never sees it half-built.
  if [[ -d "$home/jars" ]] && diff -q <(find "$home/jars" -maxdepth 1 -type l -printf '%f %l\n' | sort) \
                                    <(find "$fresh" -maxdepth 1 -type l -printf '%f %l\n' | sort) >/dev/null; then
    rm -rf "$fresh"
  else
    rm -rf "$home/jars"
    mv "$fresh" "$home/jars"
  fi
  # Logging of spark-submit's driver (as in local mode) and of the executors: log4j must find its configuration on
  # the system class path (conf/), before the application jar is loaded.
  mkdir -p "$home/conf"
  ln -sfn "$GT_DEPLOY/log4j2.properties" "$home/conf/log4j2.properties"
  export SPARK_HOME="$home"
  export SPARK_SCALA_VERSION=2.12
}

# --- daemons -------------------------------------------------------------------------------------------------

gt_marker() {   # the command-line marker of this state directory's daemons
  echo "-Dgradtune.deploy.state=$GT_STATE"
}

gt_pid_alive() {   # gt_pid_alive PIDFILE: true if the pid in PIDFILE runs a command line with this state's marker
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$(gt_marker)"
}

gt_launch() {   # gt_launch PIDFILE LOGFILE COMMAND...: starts COMMAND detached (own session), pid into PIDFILE
  local pidfile="$1" log="$2"
  shift 2
  rm -f "$pidfile"
  # The inner shell writes its own pid and then becomes COMMAND (exec), so the pid file names the JVM itself.
  # shellcheck disable=SC2016
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.05
  done
  gt_die "could not start $*: no pid file $pidfile"
}

gt_wait_for_log() {   # gt_wait_for_log PIDFILE LOGFILE PATTERN WHAT: waits until LOGFILE has PATTERN (grep -E)
  local pidfile="$1" log="$2" pattern="$3" what="$4"
  local deadline=$((SECONDS + GT_TIMEOUT))
  while ! grep -qE -- "$pattern" "$log" 2>/dev/null; do
    if ! gt_pid_alive "$pidfile"; then
      echo "$GT_NAME: $what exited during start-up; last lines of $log:" >&2
      tail -n 25 "$log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "$GT_NAME: $what not ready after ${GT_TIMEOUT}s (GRADTUNE_DEPLOY_TIMEOUT); last lines of $log:" >&2
      tail -n 25 "$log" >&2
      return 1
    fi
    sleep 0.2
  done
}

gt_stop_pidfile() {   # gt_stop_pidfile PIDFILE WHAT [GRACE_SECONDS]: TERM, then KILL after the grace period
  local pidfile="$1" what="$2" grace="${3:-30}" pid
  if ! gt_pid_alive "$pidfile"; then
    if [[ -f "$pidfile" ]]; then
      echo "$what: not running (stale pid file removed)"
      rm -f "$pidfile"
    fi
    return 0
  fi
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$what (pid $pid) still running after ${grace}s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  echo "$what (pid $pid) stopped"
}

gt_port_in_use() {   # gt_port_in_use HOST PORT: true if something accepts connections there
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

gt_require_free_port() {   # gt_require_free_port HOST PORT WHAT
  if gt_port_in_use "$1" "$2"; then
    gt_die "port $1:$2 ($3) is already in use; choose another (see --help)"
  fi
}

gt_require_port_number() {   # gt_require_port_number VALUE OPTION
  if [[ ! "$1" =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 65535)); then
    gt_usage_error "$2 needs a port number, got '$1'"
  fi
}
