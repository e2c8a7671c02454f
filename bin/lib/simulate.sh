#!/usr/bin/env bash
# ./bin/vigil simulate [--scenario NAME|FILE] [--rate R] [--speed S] [--duration D] [--labels-now] [...]
# Plays the checkout and the payment systems against the running stack (./bin/vigil up): synthetic payments with known
# truth call Score at simulated times, outcomes go to vigil.outcomes.v1, a truth file lands in .vigil/simulations/.
# Every option: ./bin/vigil simulate --help (checkout-simulator/README.md explains them).
# Its REST calls carry bearer tokens minted here with the stack's key (subject checkout-simulator), handed over in the
# environment (VIGIL_OPERATOR_TOKEN, VIGIL_PRODUCER_TOKEN), never on the command line where ps would show them;
# tokens already in the environment are used as they are.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.vigil"
LOGS="$STATE/logs"
MODULE=checkout-simulator
JAR_GLOB="$MODULE/target/vigil-checkout-simulator-*.jar"
CLASSPATH_FILE="$MODULE/target/simulator.classpath"

stale() { # no jar, no classpath, or sources newer than the jar
  local jar
  # shellcheck disable=SC2086
  jar=$(ls $JAR_GLOB 2> /dev/null | head -1)
  [[ -z $jar || ! -s $CLASSPATH_FILE ]] && return 0
  [[ -n $(find "$MODULE/src/main" "$MODULE/pom.xml" -newer "$jar" -print -quit) ]]
}
if stale; then
  mkdir -p "$LOGS"
  echo "vigil: building the checkout simulator (log $LOGS/simulator-build.log)..." >&2
  ./mvnw -B -q -pl "$MODULE" -am package -DskipTests > "$LOGS/simulator-build.log" 2>&1 \
    || { echo "vigil: build failed; see $LOGS/simulator-build.log" >&2; exit 1; }
fi
# shellcheck disable=SC2086
JAR=$(ls $JAR_GLOB | head -1)

# The latency fault hook pauses feature-service: pass the stack's own process, if `up` started it.
args=()
pidfile="$STATE/run/feature.pid"
if [[ -f $pidfile ]]; then
  pid=$(<"$pidfile")
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "-Dvigil.component=feature "; then
    args+=(--feature-service-pid "$pid")
  fi
fi
# A terminal gets one live line; logs and pipes get a plain line every 10 s (as bin/vigil does).
if [[ -t 2 ]]; then args+=(--progress tty); else args+=(--progress plain); fi
args+=(--kafka "127.0.0.1:${VIGIL_KAFKA_PORT:-9092}")

# Tokens: the operator's for a scenario's challenger on scoring's /models, the producer's for feature batches.
# Lifetime 2d: a run lasts --duration / --speed of wall time, and an expired token stops it (HTTP 401).
wants_help=false
for a in "$@"; do [[ $a == -h || $a == --help || $a == -V || $a == --version ]] && wants_help=true; done
if ! $wants_help; then
  mint() { # role
    "$ROOT/bin/vigil" token --role "$1" --sub checkout-simulator --ttl 2d \
      || { echo "vigil: cannot mint the simulator's $1 token (./bin/vigil up creates the signing key)" >&2; exit 1; }
  }
  if [[ -z ${VIGIL_OPERATOR_TOKEN:-} ]]; then VIGIL_OPERATOR_TOKEN=$(mint operator); fi
  if [[ -z ${VIGIL_PRODUCER_TOKEN:-} ]]; then VIGIL_PRODUCER_TOKEN=$(mint producer); fi
  export VIGIL_OPERATOR_TOKEN VIGIL_PRODUCER_TOKEN
fi

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx512m -cp "$JAR:$(<"$CLASSPATH_FILE")" io.vigil.simulator.SimulateCommand "${args[@]}" "$@"
