#!/usr/bin/env bash
# Delete everything the order-system lab created, in dependency order: users of a resource go
# before the resource. Safe to run more than once: anything already gone is reported and skipped.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

failures=0
# attempt DESCRIPTION CLI-ARGS... : run one deletion; a failure is reported, not fatal.
attempt() {
  local what=$1; shift
  if awsx "$@" >/dev/null 2>"$LAB_TMP/err"; then
    say "deleted $what"
  elif grep -qiE 'not ?found|does not exist|NonExistent|NoSuchEntity|cannot be found' "$LAB_TMP/err"; then
    say "skipped $what (already gone)"
  else
    say "FAILED  $what: $(head -n 3 "$LAB_TMP/err" | tr '\n' ' ')"
    failures=$((failures + 1))
  fi
}

account=$(account_id) || die "cannot reach the account (credentials, region, endpoint?)"
region=$AWS_REGION

# Step 5: the workflow first, then its role, topics and functions.
attempt "state machine order-processing" stepfunctions delete-state-machine \
  --state-machine-arn "arn:aws:states:$region:$account:stateMachine:order-processing"
attempt "inline policy of lab-states-role" iam delete-role-policy \
  --role-name lab-states-role --policy-name order-processing-tasks
attempt "role lab-states-role" iam delete-role --role-name lab-states-role
for topic in order-notifications order-failures; do
  attempt "topic $topic" sns delete-topic --topic-arn "arn:aws:sns:$region:$account:$topic"
done

# Step 4: the rule's target, then the rule.
# Targets are listed rather than named: the console gives them generated ids.
targets=$(awsx events list-targets-by-rule --rule high-value-orders --event-bus-name default \
  --query 'Targets[].Id' --output text 2>/dev/null || true)
for target in $targets; do
  if [[ "$target" != None ]]; then
    attempt "target $target of high-value-orders" events remove-targets \
      --rule high-value-orders --event-bus-name default --ids "$target"
  fi
done
attempt "rule high-value-orders" events delete-rule --name high-value-orders --event-bus-name default

# Steps 4 and 5: the functions, their log groups, then the role they shared.
for fn in premium-order-processor validate-order check-inventory reserve-payment ship-express ship-standard; do
  attempt "function $fn" lambda delete-function --function-name "$fn"
  # Log groups outlive their functions and are billed for storage. Best effort: an endpoint
  # without CloudWatch Logs (or a function that never ran) simply has none to delete.
  if awsx logs delete-log-group --log-group-name "/aws/lambda/$fn" >/dev/null 2>&1; then
    say "deleted log group /aws/lambda/$fn"
  fi
done
attempt "inline policy of lab-lambda-role" iam delete-role-policy \
  --role-name lab-lambda-role --policy-name lab-lambda-logs
attempt "role lab-lambda-role" iam delete-role --role-name lab-lambda-role

# Step 3: subscriptions, then (step 1) the topic.
order_events="arn:aws:sns:$region:$account:order-events"
subs=$(awsx sns list-subscriptions-by-topic --topic-arn "$order_events" \
  --query 'Subscriptions[].SubscriptionArn' --output text 2>/dev/null || true)
for sub in $subs; do
  if [[ "$sub" == arn:* ]]; then
    attempt "subscription $sub" sns unsubscribe --subscription-arn "$sub"
  fi
done
attempt "topic order-events" sns delete-topic --topic-arn "$order_events"

# Step 2: the work queues, then the dead-letter queues they redrive to.
for queue in inventory-updates shipping-orders inventory-updates-dlq shipping-orders-dlq; do
  if url=$(awsx sqs get-queue-url --queue-name "$queue" --query QueueUrl --output text 2>/dev/null); then
    attempt "queue $queue" sqs delete-queue --queue-url "$url"
  else
    say "skipped queue $queue (already gone)"
  fi
done

((failures == 0)) || die "$failures deletion(s) failed; see above"
say "Clean-up complete"
