#!/usr/bin/env bash
# Shared by the step-5 broken variants (sourced after ../cli/lib.sh): rewrites the live definition
# of order-processing with a jq filter; the role stays as it is.
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
