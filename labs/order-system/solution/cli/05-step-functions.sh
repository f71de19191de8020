#!/usr/bin/env bash
# Step 5: the order-processing state machine, the five Lambda functions it calls and the two
# topics it notifies.
#
# VALIDATE_ORDER_RUNTIME=python3.12 deploys the Python version of validate-order instead of
# the Node.js one; the state machine cannot tell the difference.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly MACHINE=order-processing
readonly FUNCTIONS=(validate-order check-inventory reserve-payment ship-express ship-standard)
readonly TOPICS=(order-notifications order-failures)
readonly DEFINITION="$SOLUTION_DIR/order-processing.asl.json"

[[ -f "$DEFINITION" ]] || die "state-machine definition not found: $DEFINITION"

role=$(ensure_lambda_role)
for fn in "${FUNCTIONS[@]}"; do
  if [[ "$fn" == validate-order && "${VALIDATE_ORDER_RUNTIME:-nodejs20.x}" == python* ]]; then
    deploy_function "$fn" "$SOLUTION_DIR/functions/$fn/lambda_function.py" \
      "$VALIDATE_ORDER_RUNTIME" lambda_function.lambda_handler "$role"
  else
    deploy_function "$fn" "$SOLUTION_DIR/functions/$fn/index.mjs" nodejs20.x index.handler "$role"
  fi
done

for topic in "${TOPICS[@]}"; do
  say "Creating SNS topic $topic"
  awsx sns create-topic --name "$topic" >/dev/null
done

account=$(account_id)

# The workflow's own role: invoke these five functions, publish to these two topics, nothing more.
states_role=$(ensure_role lab-states-role states.amazonaws.com)
function_arns=$(for fn in "${FUNCTIONS[@]}"; do function_arn "$fn"; done | jq -R . | jq -s .)
topic_arns=$(for topic in "${TOPICS[@]}"; do topic_arn "$topic"; done | jq -R . | jq -s .)
jq -n --argjson fns "$function_arns" --argjson topics "$topic_arns" '{
  Version: "2012-10-17",
  Statement: [
    {Sid: "CallOrderFunctions", Effect: "Allow", Action: "lambda:InvokeFunction",
     Resource: ($fns + ($fns | map(. + ":*")))},
    {Sid: "NotifyOrderTopics", Effect: "Allow", Action: "sns:Publish", Resource: $topics}
  ]
}' >"$LAB_TMP/states-policy.json"
say "Granting lab-states-role the calls the workflow makes"
awsx iam put-role-policy --role-name lab-states-role --policy-name order-processing-tasks \
  --policy-document "file://$LAB_TMP/states-policy.json"

# The definition names resources with ${Region} and ${AccountId} tokens; fill them in.
# shellcheck disable=SC2016 # the single-quoted ${...} are literal tokens, not expansions
sed -e 's/\${Region}/'"$AWS_REGION"'/g' -e 's/\${AccountId}/'"$account"'/g' \
  "$DEFINITION" >"$LAB_TMP/definition.json"
if grep -qF "\${" "$LAB_TMP/definition.json"; then
  die "an unreplaced \${...} token is left in the definition; only \${Region} and \${AccountId} are filled in"
fi

existing=$(awsx stepfunctions list-state-machines \
  --query "stateMachines[?name=='$MACHINE'].stateMachineArn | [0]" --output text)
if [[ -n "$existing" && "$existing" != "None" ]]; then
  say "Updating state machine $MACHINE"
  awsx stepfunctions update-state-machine --state-machine-arn "$existing" \
    --definition "file://$LAB_TMP/definition.json" --role-arn "$states_role" >/dev/null
  machine_arn=$existing
else
  say "Creating state machine $MACHINE"
  tries=0
  # As with Lambda, a brand-new role can take a few seconds before Step Functions may assume it.
  until machine_arn=$(awsx stepfunctions create-state-machine --name "$MACHINE" --type STANDARD \
      --definition "file://$LAB_TMP/definition.json" --role-arn "$states_role" \
      --query stateMachineArn --output text 2>"$LAB_TMP/create.err"); do
    tries=$((tries + 1))
    if grep -qi "assume" "$LAB_TMP/create.err" && [[ $tries -lt 12 ]]; then
      say "  role not assumable yet, retrying in 5 s"
      sleep 5
      continue
    fi
    cat "$LAB_TMP/create.err" >&2
    die "could not create state machine $MACHINE"
  done
fi
say "State machine ready: $machine_arn"
