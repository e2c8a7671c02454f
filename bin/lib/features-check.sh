#!/usr/bin/env bash
# vigil features check: parses every feature contract (contracts/features/*.yaml), checks each feature set version is
# compatible with the one before it, and that no version published in the base commit (VIGIL_CONTRACTS_BASE, else
# HEAD~1) was changed in a breaking way or removed. Exit 1 on a breaking change, 2 on an invalid contract file.
# Runs io.vigil.features.contract.FeaturesCheck from feature-service's build (built on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="$ROOT/feature-service/target/quarkus-app"

if ! compgen -G "$APP/app/feature-service-*.jar" > /dev/null || [[ ! -d $APP/lib/main ]]; then
  echo "features-check: building feature-service (first run)..." >&2
  (cd "$ROOT" && ./mvnw -B -q -pl feature-service -am package -DskipTests) >&2
fi

args=()
base=${VIGIL_CONTRACTS_BASE:-HEAD~1}
tmp=""
if git -C "$ROOT" rev-parse --verify -q "$base^{commit}" > /dev/null \
    && git -C "$ROOT" cat-file -e "$base:contracts/features" 2> /dev/null; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  git -C "$ROOT" archive "$base" contracts/features | tar -x -C "$tmp"
  args+=(--base "$tmp/contracts/features")
else
  echo "features-check: no contracts/features in base '$base'; checking versions within the tree only" >&2
fi

java_bin=java
[[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && java_bin="$JAVA_HOME/bin/java"
"$java_bin" -cp "$APP/app/*:$APP/lib/main/*" io.vigil.features.contract.FeaturesCheck "${args[@]}" "$ROOT/contracts/features"
