#!/usr/bin/env bash
# buf lint (STANDARD rules) on contracts/, and buf breaking (FILE rules) against the contracts of a base commit:
# VIGIL_CONTRACTS_BASE if set (e.g. origin/main), else the previous commit. A v1 package must never break.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT/contracts"

if [[ ! -x node_modules/.bin/buf ]]; then
  command -v npm > /dev/null || { echo "contracts-check: npm is needed to install buf (apt-get install npm)" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error > /dev/null
fi
BUF=node_modules/.bin/buf

"$BUF" lint
echo "contracts-check: buf lint passed"

base=${VIGIL_CONTRACTS_BASE:-HEAD~1}
if ! git -C "$ROOT" rev-parse --verify -q "$base^{commit}" > /dev/null; then
  echo "contracts-check: no base commit '$base' (first commit or shallow clone); breaking-change check skipped"
  exit 0
fi
if ! git -C "$ROOT" cat-file -e "$base:contracts/buf.yaml" 2> /dev/null; then
  echo "contracts-check: $base has no contracts/buf.yaml; breaking-change check skipped"
  exit 0
fi
"$BUF" breaking --against "$ROOT/.git#ref=$base,subdir=contracts"
echo "contracts-check: no breaking change against $base"
