-- Changes to a rollout other than its state, step and line-up (a guardrail's capacity, issue #16): what the audit
-- entry changed, before and after, as JSON (e.g. {"guardrail": "review-queue", "capacity": 1000, "period": "1h"}).
ALTER TABLE rollout_audit ADD COLUMN change_before text;
ALTER TABLE rollout_audit ADD COLUMN change_after text;
