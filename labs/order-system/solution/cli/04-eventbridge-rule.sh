#!/usr/bin/env bash
# Step 4: an EventBridge rule on the default bus that sends orders of 1000 or more to the
# premium-order-processor Lambda function.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly RULE=high-value-orders
readonly FUNCTION=premium-order-processor

role=$(ensure_lambda_role)
deploy_function "$FUNCTION" "$SOLUTION_DIR/functions/$FUNCTION/index.mjs" nodejs20.x index.handler "$role"
fn_arn=$(function_arn "$FUNCTION")

# Which events the rule selects: custom order events whose detail.amount is at least 1000.
cat >"$LAB_TMP/pattern.json" <<'JSON'
{
  "detail-type": ["OrderCreated"],
  "source": ["com.myapp.orders"],
  "detail": { "amount": [{ "numeric": [">=", 1000] }] }
}
JSON

say "Creating rule $RULE on the default event bus"
rule_arn=$(awsx events put-rule --name "$RULE" --event-bus-name default \
  --event-pattern "$(jq -c . "$LAB_TMP/pattern.json")" --state ENABLED \
  --description "Orders worth 1000 or more go to premium processing" \
  --query RuleArn --output text)

# The function's resource policy must let EventBridge invoke it, and only from this rule.
# AddPermission refuses a statement id that exists, so any earlier statement is removed first.
say "Allowing events.amazonaws.com to invoke $FUNCTION from $RULE"
awsx lambda remove-permission --function-name "$FUNCTION" --statement-id "$RULE-invoke" >/dev/null 2>&1 || true
awsx lambda add-permission --function-name "$FUNCTION" --statement-id "$RULE-invoke" \
  --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn "$rule_arn" >/dev/null

say "Pointing $RULE at $FUNCTION"
failed=$(awsx events put-targets --rule "$RULE" --event-bus-name default \
  --targets "Id=$FUNCTION,Arn=$fn_arn" --query FailedEntryCount --output text)
[[ "$failed" == "0" ]] || die "put-targets reported $failed failed target(s)"
say "Rule ready: $rule_arn"
