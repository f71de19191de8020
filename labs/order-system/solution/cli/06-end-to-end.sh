#!/usr/bin/env bash
# Step 6: drive the finished system once, end to end.
#   1. Publish three orders to order-events and check each lands only in the queues its
#      attributes select.
#   2. Put a high-value OrderCreated event on the default bus (routed to premium-order-processor).
#   3. Run order-processing with a premium order and wait for it to finish.
# Exits non-zero if any of that does not happen.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run="e2e-$(date +%s)-$$"   # tags this run's messages, so other messages are left alone
topic=$(topic_arn order-events)
inventory_url=$(queue_url inventory-updates)
shipping_url=$(queue_url shipping-orders)

# publish ORDER_ID EVENT_TYPE ORDER_VALUE SHIPPING_TYPE
# order_value travels as a Number attribute: a numeric filter never matches a String one.
publish() {
  jq -n --arg e "$2" --arg v "$3" --arg s "$4" '{
    event_type:    {DataType: "String", StringValue: $e},
    order_value:   {DataType: "Number", StringValue: $v},
    shipping_type: {DataType: "String", StringValue: $s}
  }' >"$LAB_TMP/attributes.json"
  jq -n --arg id "$1" --arg run "$run" --argjson v "$3" '{orderId: $id, run: $run, amount: $v}' \
    >"$LAB_TMP/message.json"
  awsx sns publish --topic-arn "$topic" --message "file://$LAB_TMP/message.json" \
    --message-attributes "file://$LAB_TMP/attributes.json" --query MessageId --output text >/dev/null
  say "Published $1: event_type=$2 order_value=$3 shipping_type=$4"
}

publish "$run-a" order_created 1500 express    # both queues
publish "$run-b" order_updated 999 standard    # inventory only
publish "$run-c" order_cancelled 1200 priority # shipping only

# collect QUEUE_URL EXPECTED_COUNT : print this run's order ids found in the queue.
# This run's messages are deleted; anything else received is released at once.
collect() {
  local url=$1 want=$2 deadline=$((SECONDS + 20)) found=() batch
  while ((${#found[@]} < want && SECONDS < deadline)); do
    batch=$(awsx sqs receive-message --queue-url "$url" --max-number-of-messages 10 \
      --wait-time-seconds 2 --message-attribute-names All --output json)
    [[ -n "$batch" ]] || continue
    while IFS=$'\t' read -r handle order_id; do
      [[ -n "$handle" ]] || continue
      if [[ "$order_id" == "$run"-* ]]; then
        found+=("$order_id")
        awsx sqs delete-message --queue-url "$url" --receipt-handle "$handle"
      else
        awsx sqs change-message-visibility --queue-url "$url" --receipt-handle "$handle" \
          --visibility-timeout 0
      fi
    done < <(jq -r '.Messages[]? | [.ReceiptHandle,
      ((.Body | fromjson? | .Message | fromjson? | .orderId) // "")] | @tsv' <<<"$batch")
  done
  if ((${#found[@]})); then printf '%s\n' "${found[@]}" | sort; fi
}

inventory=$(collect "$inventory_url" 2 | tr '\n' ' ')
shipping=$(collect "$shipping_url" 2 | tr '\n' ' ')
say "inventory-updates received: ${inventory:-nothing}"
say "shipping-orders received:   ${shipping:-nothing}"
[[ "$inventory" == "$run-a $run-b " ]] || die "inventory-updates should get exactly $run-a and $run-b"
[[ "$shipping" == "$run-a $run-c " ]] || die "shipping-orders should get exactly $run-a and $run-c"

say "Putting a 1500 OrderCreated event on the default bus"
jq -n --arg id "$run-eb" '[{
  Source: "com.myapp.orders",
  DetailType: "OrderCreated",
  EventBusName: "default",
  Detail: ({orderId: $id, amount: 1500, status: "confirmed"} | tojson)
}]' >"$LAB_TMP/events.json"
failed=$(awsx events put-events --entries "file://$LAB_TMP/events.json" \
  --query FailedEntryCount --output text)
[[ "$failed" == "0" ]] || die "put-events reported $failed failed entr(ies)"

machine_arn=$(awsx stepfunctions list-state-machines \
  --query "stateMachines[?name=='order-processing'].stateMachineArn | [0]" --output text)
[[ -n "$machine_arn" && "$machine_arn" != "None" ]] || die "state machine order-processing not found"

say "Starting order-processing with a premium order"
execution=$(awsx stepfunctions start-execution --state-machine-arn "$machine_arn" \
  --name "$run" --input '{"orderId":"o-1001","order":{"isPremium":true,"amount":1500}}' \
  --query executionArn --output text)

# The workflow includes a 5-second Wait, so give it up to a minute.
deadline=$((SECONDS + 60))
status=RUNNING
while [[ "$status" == RUNNING ]] && ((SECONDS < deadline)); do
  sleep 2
  status=$(awsx stepfunctions describe-execution --execution-arn "$execution" \
    --query status --output text)
  say "  execution status: $status"
done
awsx stepfunctions describe-execution --execution-arn "$execution" \
  --query '{status: status, output: output, error: error, cause: cause}'
[[ "$status" == SUCCEEDED ]] || die "execution $execution did not succeed (status $status)"
say "End to end: all good"
