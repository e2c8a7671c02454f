#!/usr/bin/env bash
# ./bin/vigil bench guardrail [--decisions N] [--per-minute R] [--threads T] [--commit-ms C] [--kafka host:port]
# Ingest benchmark of guardrail-service's Kafka Streams topology (io.vigil.guardrail.bench.GuardrailBench): writes N
# decisions and their outcomes to a Kafka broker (its own broker process unless --kafka), then runs one instance of
# the topology (RocksDB, exactly-once v2, 6 partitions) with one rollout watching 50 cohorts x 8 metrics, and prints
# events/s sustained, heap after GC, state-store size per million decisions and the time to evaluate a rollout minute.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/.vigil/bench"
mkdir -p "$WORK"
MVN=(./mvnw -B -q -o)
CLASSES=guardrail-service/target/test-classes/io/vigil/guardrail/bench/GuardrailBench.class
CP="$WORK/guardrail-classpath.txt"
if [[ ! -f $CLASSES || ! -s $CP || -n $(find guardrail-service/src guardrail-service/pom.xml -newer "$CLASSES" -type f -print -quit) ]]; then
  echo "building guardrail-service and what it needs (classes, test classes, classpath)..." >&2
  # One reactor run: the classpath written last is guardrail-service's, with the reactor modules as their classes.
  "${MVN[@]}" -pl guardrail-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP" > "$WORK/guardrail-build.log" 2>&1 \
    || { echo "build failed; see $WORK/guardrail-build.log" >&2; exit 1; }
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xms512m -Xmx1g -XX:+UseParallelGC \
  -cp "guardrail-service/target/test-classes:guardrail-service/target/classes:$(<"$CP")" \
  io.vigil.guardrail.bench.GuardrailBench "$@"
