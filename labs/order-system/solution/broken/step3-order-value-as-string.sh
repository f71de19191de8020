#!/usr/bin/env bash
# Broken variant of step 3: shipping-orders compares order_value as the string "1000" instead of numerically: 1500 never matches, and a Number attribute matches no string.
# Apply AFTER the reference scripts (solution/cli/03-*.sh); it changes one thing only.
# Re-running solution/cli/03-*.sh puts the reference back.
# fails: step3.shipping-filter-accepts-1000 step3.shipping-filter-accepts-1500
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The subscription of a queue to order-events (the reference script made exactly one).
subscription() {
  awsx sns list-subscriptions-by-topic --topic-arn "$(topic_arn order-events)" \
    --query "Subscriptions[?Endpoint=='$(queue_arn "$1")'].SubscriptionArn | [0]" --output text
}

awsx sns set-subscription-attributes --subscription-arn "$(subscription shipping-orders)" \
  --attribute-name FilterPolicy \
  --attribute-value '{"shipping_type":["express","priority"],"order_value":["1000"]}'
