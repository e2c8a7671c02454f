#!/usr/bin/env bash
# ./bin/vigil demo [--accounts N] [--calls N] [--rps R] [--warmup N]   (N payments first, summarised in one line)
# Starts the stack (./bin/vigil up), loads synthetic stored features into feature-service over its REST batch API
# (with a producer token from ./bin/vigil token; the policy goes in with an operator token),
# drives Score traffic against scoring-service and prints a summary: decisions, cohorts, fallbacks, reasons, issues.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
WORK="$ROOT/.vigil/bench"
mkdir -p "$WORK"

"$ROOT/bin/vigil" up

if [[ ! -d scoring-service/target/test-classes/io/vigil/scoring/bench ]]; then
  echo "building scoring-service test classes (the demo driver)..." >&2
  ./mvnw -B -q -o -pl scoring-service test-compile > "$WORK/build.log" 2>&1 \
    || { echo "build failed; see $WORK/build.log" >&2; exit 1; }
fi
if [[ ! -s $WORK/classpath.txt || scoring-service/pom.xml -nt $WORK/classpath.txt ]]; then
  ./mvnw -B -q -o -pl scoring-service dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/classpath.log" 2>&1 \
    || { echo "cannot resolve the demo classpath; see $WORK/classpath.log" >&2; exit 1; }
fi
# The root README's URLs and its authentication example, tried on the running stack: every service answers
# /q/health/ready, /q/metrics, /q/openapi and /q/swagger-ui; REST refuses a call without a token (401) and serves a
# viewer's token.
expect_status() { # expected-code url [bearer-token]
  local expected=$1 url=$2 token=${3:-} code args=(-s -L -o /dev/null -w '%{http_code}' --max-time 10)
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  code=$(curl "${args[@]}" "$url") || true
  [[ $code == "$expected" ]] || { echo "vigil demo: $url answered HTTP $code, expected $expected" >&2; exit 1; }
}
for port in 8081 8082 8083 8084; do
  for path in /q/health/ready /q/metrics /q/openapi /q/swagger-ui; do expect_status 200 "http://127.0.0.1:$port$path"; done
done
expect_status 401 http://127.0.0.1:8081/policies/active
expect_status 200 http://127.0.0.1:8081/policies "$("$ROOT/bin/vigil" token --role viewer --sub vigil-demo --ttl 10m)"
echo "README URLs answer on all four services; REST refuses no token (401) and serves a viewer token (200)"

# The stack is secured like production: the demo pushes features as a producer and sets its policy as an operator.
# Handed over in the environment, not on the command line, where every process listing would show them.
VIGIL_PRODUCER_TOKEN=$("$ROOT/bin/vigil" token --role producer --sub vigil-demo-producer --ttl 1h)
VIGIL_OPERATOR_TOKEN=$("$ROOT/bin/vigil" token --role operator --sub vigil-demo --ttl 1h)
export VIGIL_PRODUCER_TOKEN VIGIL_OPERATOR_TOKEN
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx256m \
  -cp "scoring-service/target/test-classes:scoring-service/target/classes:$(<"$WORK/classpath.txt")" \
  io.vigil.scoring.bench.DemoDriver --scoring 127.0.0.1:9081 --scoring-http http://127.0.0.1:8081 --features http://127.0.0.1:8082 "$@"
