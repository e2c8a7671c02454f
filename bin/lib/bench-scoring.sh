#!/usr/bin/env bash
# ./bin/vigil bench scoring --rps R --duration D [--connections 4] [--profile out.collapsed] [--profile-cold cold.collapsed] [--client-warmup 10s] [--service-jvm "opts"] [--features-jvm "opts"] [--features-set k=v,...] [--stall-features] [--cold 20s] [--warmup W] [--target host:port | --stack] [--budget 50ms] [--kafka host:port] [--set key=value,...] [--metrics-url URL]
# Open-loop gRPC load on scoring-service's Score with grpc.health.v1 Health/Check at the same rate as the yardstick,
# sent by a second JVM on a connection of its own (the floor the Score/Health ratio divides by), and CPU per Score per
# process of the suite (scoring, features, Kafka, PostgreSQL; /proc). A cold phase (default 20 s when the bench starts
# its own services) measures the first seconds after ready with no warm-up before it. --stack measures the stack
# ./bin/vigil up started (Score on 127.0.0.1:9081); add --cold 20s right after `vigil up` for its cold phase.
# Without --target it starts the real feature-service (packaged jar, fresh database, features for the bench's
# accounts stored over POST /features/batch) and its own scoring-service (packaged jar) pointed at it, plus a Kafka
# broker process of its own (unless --kafka), on free ports, with PostgreSQL from VIGIL_PG_URL / VIGIL_PG_* (default
# 127.0.0.1:5432). --stall-features freezes the feature-service process (SIGSTOP) for the middle third of the
# measured phase, then resumes it (SIGCONT), and reports that window separately.
# On Java 25 the bench's own scoring-service and feature-service start with the AOT caches `./bin/vigil up` recorded
# for the same build (.vigil/aot), as a pod would, unless --service-jvm / --features-jvm say otherwise or VIGIL_AOT=off.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/bin/lib/java.sh"
source "$ROOT/bin/lib/aot.sh"
vigil_select_java || exit 1
WORK="$ROOT/.vigil/bench"
mkdir -p "$WORK"

JAR=scoring-service/target/quarkus-app/quarkus-run.jar
if [[ " $* " != *" --target "* && " $* " != *" --stack "* && ! -f feature-service/target/quarkus-app/quarkus-run.jar ]]; then
  echo "feature-service/target/quarkus-app/quarkus-run.jar is missing: the bench runs the real feature-service;" \
    "build it first (./mvnw -B -o -q -pl feature-service package -DskipTests)" >&2
  exit 1
fi
if [[ ! -f $JAR || ! -d scoring-service/target/test-classes/io/vigil/scoring/bench \
      || -n $(find scoring-service/src scoring-service/pom.xml -newer "$JAR" -type f -print -quit) ]]; then
  echo "building scoring-service (jar and test classes)..." >&2
  ./mvnw -B -q -o -pl scoring-service package -DskipTests > "$WORK/build.log" 2>&1 \
    || { echo "build failed; see $WORK/build.log" >&2; exit 1; }
fi
if [[ ! -s $WORK/classpath.txt || scoring-service/pom.xml -nt $WORK/classpath.txt ]]; then
  ./mvnw -B -q -o -pl scoring-service dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/classpath.log" 2>&1 \
    || { echo "cannot resolve the bench classpath; see $WORK/classpath.log (the suite's modules must be installed in the local Maven repository: ./bin/vigil up does it, or ./mvnw -B install -DskipTests)" >&2; exit 1; }
fi
aot_args=()
if [[ ${VIGIL_AOT:-on} != off ]] && ((VIGIL_JAVA_MAJOR >= 25)) && [[ " $* " != *" --target "* && " $* " != *" --stack "* ]]; then
  for pair in "service-jvm scoring scoring-service" "features-jvm feature feature-service"; do
    read -r option name module <<< "$pair"
    [[ " $* " == *" --$option "* ]] && continue
    cache=$(aot_cache_file "$name" "$module")
    if [[ -s $cache ]]; then
      aot_args+=("--$option" "-XX:AOTCache=$cache -Xlog:aot*=off")
      echo "$module: AOT cache $cache" >&2
    else
      echo "$module: no AOT cache for this build (./bin/vigil up, then down, records one); starting without" >&2
    fi
  done
fi
exec "$JAVA_HOME/bin/java" -Xms256m -Xmx512m -XX:+UseParallelGC \
  -cp "scoring-service/target/test-classes:scoring-service/target/classes:$(<"$WORK/classpath.txt")" \
  io.vigil.scoring.bench.ScoringBench --root "$ROOT" "${aot_args[@]+"${aot_args[@]}"}" "$@"
