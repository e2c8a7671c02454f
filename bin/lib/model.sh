#!/usr/bin/env bash
# vigil model <train|predict|generate> ...: the risk-model command-line tools (model-training module).
# Builds the module on first use, then runs it from its jar (dependencies in target/lib via the manifest class path).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/model-training/target/vigil-model-training.jar"

if [[ ! -f "$jar" || ! -d "$root/model-training/target/lib" ]]; then
  echo "vigil model: building model-training (first run)..." >&2
  (cd "$root" && ./mvnw -B -q -pl model-training -am package -DskipTests) >&2
fi

exec java ${VIGIL_MODEL_JAVA_OPTS:-} -jar "$jar" "$@"
