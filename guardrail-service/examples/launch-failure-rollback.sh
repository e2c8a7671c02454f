#!/usr/bin/env bash
# Seed 001's relaunch on the real local stack, end to end: a rollout of models/challenger-launch at 10% under the
# example plan, the checkout simulator's launch-failure-rollout scenario as traffic, and guardrail-service left to
# roll the challenger back by itself. Prints the rollout's progress, then its evidence, scoring-service's line-up
# after the rollback, and the incident it opened. Stops the stack at the end unless KEEP_STACK=1.
#
#   guardrail-service/examples/launch-failure-rollback.sh            # RATE=100 payments/s, SPEED=60, at most 15 min
#
# The stack and the simulator share the machine: on 2 cores nothing else should run meanwhile.
set -uo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-100}; SPEED=${SPEED:-60}; DURATION=${DURATION:-12h}; WAIT_MIN=${WAIT_MIN:-15}
LOG=${LOG:-.vigil/logs}
./bin/vigil up || exit 1
TOKEN=$(./bin/vigil token --role admin --sub launch-failure-rollback)
H="Authorization: Bearer $TOKEN"
json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

status=$(curl -s -o /dev/null -w '%{http_code}' -X POST localhost:8081/models -H "$H" -H 'Content-Type: application/json' \
  -d '{"version": "challenger-launch", "path": "challenger-launch/model.json"}')
case $status in 201|200) echo "registered challenger-launch";; 409) echo "challenger-launch already registered";;
  *) echo "cannot register challenger-launch: HTTP $status" >&2; exit 1;; esac
# A rollout still running from an earlier run holds the target (409): abort it, which restores its line-up.
for id in $(curl -s localhost:8083/rollouts -H "$H" | json '" ".join(r["id"] for r in d if r["state"] in ("RUNNING", "PAUSED", "PENDING", "ROLLING_BACK"))'); do
  ./bin/vigil rollout abort "$id" --reason "launch-failure-rollback: clears an earlier run" > /dev/null && echo "aborted $id"
done
RID=$(./bin/vigil rollout create -f guardrail-service/examples/launch-failure-rollout.yaml --output json | json 'd["summary"]["id"]') \
  || { echo "rollout not created" >&2; exit 1; }
echo "rollout $RID; line-up: $(curl -s localhost:8081/lineup -H "$H")"
./bin/vigil simulate --scenario launch-failure-rollout --start now --rate "$RATE" --speed "$SPEED" --duration "$DURATION" \
  > "$LOG/launch-failure-rollback.sim.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null' EXIT
state=RUNNING
for ((i = 0; i < WAIT_MIN * 6; i++)); do
  sleep 10
  state=$(curl -s "localhost:8083/rollouts/$RID" -H "$H" | json 'd["summary"]["state"]')
  echo "$(date -u +%T) rollout $state | $(tail -1 "$LOG/launch-failure-rollback.sim.log" | cut -c1-140)"
  [[ $state == ROLLED_BACK || $state == PROMOTED || $state == ABORTED ]] && break
  kill -0 $SIM 2>/dev/null || break
done
kill $SIM 2>/dev/null; wait $SIM 2>/dev/null
./bin/vigil rollout status "$RID"
echo; echo "scoring-service line-up now: $(curl -s localhost:8081/lineup -H "$H")"
echo "incidents: $(curl -s localhost:8084/incidents -H "$H" | json '"; ".join(i["severity"] + " " + i["state"] + " " + i["title"] for i in d)')"
curl -s localhost:8081/q/metrics | grep -E '^vigil_scoring_fallbacks_total' | grep -v ' 0.0$'
[[ ${KEEP_STACK:-0} == 1 ]] || ./bin/vigil down > /dev/null
[[ $state == ROLLED_BACK ]]
