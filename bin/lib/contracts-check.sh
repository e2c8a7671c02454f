#!/usr/bin/env bash
# buf lint (STANDARD rules) on contracts/, and buf breaking (FILE rules): the working tree against HEAD, and every
# recent commit that changed the contracts against its parent. A v1 package must never break.
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

# A submission may hold several commits: check each commit that touched the contracts against its own parent, so a
# break made in an earlier commit cannot hide behind a later one. VIGIL_CONTRACTS_BASE (e.g. origin/main) adds a
# direct comparison of the working tree with that base.
src="$ROOT/.git"
depth=$(( $(git -C "$ROOT" rev-list --count HEAD) + 1 ))
checked=0
while read -r commit; do
  [[ -n $commit ]] || continue
  if ! git -C "$ROOT" cat-file -e "$commit~1:contracts/buf.yaml" 2> /dev/null; then
    continue # the commit that created the contracts, or a shallow clone's edge
  fi
  # buf clones 50 commits deep by default: an older commit (the 30 contract changes reach further back as history
  # grows) is then not in its clone ("pathspec ... did not match"), so clone as deep as the history is.
  "$BUF" breaking "$src#ref=$commit,subdir=contracts,depth=$depth" \
    --against "$src#ref=$commit~1,subdir=contracts,depth=$depth" \
    || { echo "contracts-check: commit $(git -C "$ROOT" log -1 --format='%h %s' "$commit") breaks a v1 contract" >&2; exit 1; }
  checked=$((checked + 1))
done < <(git -C "$ROOT" rev-list --max-count="${VIGIL_CONTRACTS_HISTORY:-30}" HEAD -- contracts/src contracts/buf.yaml 2> /dev/null)

"$BUF" breaking --against "$src#ref=HEAD,subdir=contracts"
echo "contracts-check: no breaking change in the working tree or in the last $checked commits that changed contracts"

if [[ -n ${VIGIL_CONTRACTS_BASE:-} ]]; then
  "$BUF" breaking --against "$src#ref=$VIGIL_CONTRACTS_BASE,subdir=contracts"
  echo "contracts-check: no breaking change against $VIGIL_CONTRACTS_BASE"
fi
