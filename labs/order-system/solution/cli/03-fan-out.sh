#!/usr/bin/env bash
# Step 3: fan order-events out to both queues, each seeing only the messages it needs, and
# let only this topic write to the queues.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

topic=$(topic_arn order-events)

# Filter policies, judged against message attributes (numeric rules need DataType Number).
cat >"$LAB_TMP/inventory-updates-filter.json" <<'JSON'
{ "event_type": ["order_created", "order_updated"] }
JSON
cat >"$LAB_TMP/shipping-orders-filter.json" <<'JSON'
{
  "shipping_type": ["express", "priority"],
  "order_value": [{ "numeric": [">=", 1000] }]
}
JSON

connect_queue() {
  local queue=$1 filter=$2 url arn sub
  url=$(queue_url "$queue")
  arn=$(queue_arn "$queue")

  # The access policy goes on first, so no early message is refused by the queue.
  say "Letting only $topic send to $queue"
  jq -n --arg queue "$arn" --arg topic "$topic" '{
    Version: "2012-10-17",
    Statement: [{
      Sid: "OnlyOrderEventsTopic",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: $queue,
      Principal: {Service: "sns.amazonaws.com"},
      Condition: {ArnEquals: {"aws:SourceArn": $topic}}
    }]
  } | {Policy: tojson}' >"$LAB_TMP/$queue-policy.json"
  awsx sqs set-queue-attributes --queue-url "$url" --attributes "file://$LAB_TMP/$queue-policy.json"

  # Subscribe gives an error when the same endpoint is already subscribed with other
  # attributes, so an existing subscription is updated in place instead.
  sub=$(awsx sns list-subscriptions-by-topic --topic-arn "$topic" \
    --query "Subscriptions[?Endpoint=='$arn'].SubscriptionArn | [0]" --output text)
  if [[ -n "$sub" && "$sub" != "None" ]]; then
    say "Updating the filter policy of $sub"
    awsx sns set-subscription-attributes --subscription-arn "$sub" \
      --attribute-name FilterPolicyScope --attribute-value MessageAttributes
    awsx sns set-subscription-attributes --subscription-arn "$sub" \
      --attribute-name FilterPolicy --attribute-value "$(jq -c . "$filter")"
  else
    say "Subscribing $queue to order-events with a filter policy"
    jq '{FilterPolicy: tojson, FilterPolicyScope: "MessageAttributes"}' "$filter" \
      >"$LAB_TMP/$queue-subscription.json"
    sub=$(awsx sns subscribe --topic-arn "$topic" --protocol sqs --notification-endpoint "$arn" \
      --attributes "file://$LAB_TMP/$queue-subscription.json" --return-subscription-arn \
      --query SubscriptionArn --output text)
  fi
  say "Subscription ready: $sub"
}

connect_queue inventory-updates "$LAB_TMP/inventory-updates-filter.json"
connect_queue shipping-orders "$LAB_TMP/shipping-orders-filter.json"
