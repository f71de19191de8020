#!/usr/bin/env bash
# Step 2: two standard work queues, each with its own dead-letter queue.
# DLQs come first, because a RedrivePolicy must name an existing queue's ARN.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

readonly MAX_RECEIVE_COUNT=5
readonly VISIBILITY_TIMEOUT=30          # seconds; at least the consumer's processing time
readonly DLQ_RETENTION=1209600          # 14 days, the SQS maximum (sources keep the 4-day default)

# CreateQueue refuses a name that exists with other attribute values, so each queue is
# created by name only and then configured: re-running the script converges instead of failing.
for name in inventory-updates shipping-orders; do
  dlq="$name-dlq"
  say "Creating dead-letter queue $dlq (retention $DLQ_RETENTION s)"
  dlq_url=$(awsx sqs create-queue --queue-name "$dlq" --query QueueUrl --output text)
  awsx sqs set-queue-attributes --queue-url "$dlq_url" \
    --attributes "MessageRetentionPeriod=$DLQ_RETENTION"
  dlq_arn=$(queue_arn "$dlq")

  say "Creating queue $name (visibility $VISIBILITY_TIMEOUT s, redrive to $dlq after $MAX_RECEIVE_COUNT receives)"
  url=$(awsx sqs create-queue --queue-name "$name" --query QueueUrl --output text)
  # RedrivePolicy is a JSON document carried inside a string attribute: let jq do the quoting.
  jq -n --arg dlq "$dlq_arn" --argjson max "$MAX_RECEIVE_COUNT" --arg vis "$VISIBILITY_TIMEOUT" '{
    VisibilityTimeout: $vis,
    RedrivePolicy: ({deadLetterTargetArn: $dlq, maxReceiveCount: $max} | tojson)
  }' >"$LAB_TMP/$name-attributes.json"
  awsx sqs set-queue-attributes --queue-url "$url" --attributes "file://$LAB_TMP/$name-attributes.json"
  say "Queue ready: $url"
done
