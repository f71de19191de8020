#!/usr/bin/env bash
# Broken variant of step 5: Validate has no Catch, so a ValidationError fails the execution without any failure notification.
# Apply AFTER the reference scripts (solution/cli/05-*.sh); it changes one thing only.
# Re-running solution/cli/05-*.sh puts the reference back.
# fails: step5.validation-catch step5.run-validation-error
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# Rewrites the live definition of order-processing with a jq filter (the role stays as it is).
edit_definition() {
  local arn
  arn=$(awsx stepfunctions list-state-machines \
    --query "stateMachines[?name=='order-processing'].stateMachineArn | [0]" --output text)
  [[ -n "$arn" && "$arn" != "None" ]] || die "state machine order-processing not found; run 05-step-functions.sh first"
  awsx stepfunctions describe-state-machine --state-machine-arn "$arn" --query definition --output text \
    | jq "$1" >"$LAB_TMP/definition.json"
  awsx stepfunctions update-state-machine --state-machine-arn "$arn" \
    --definition "file://$LAB_TMP/definition.json" >/dev/null
}

edit_definition 'del(.States.Validate.Catch)'
