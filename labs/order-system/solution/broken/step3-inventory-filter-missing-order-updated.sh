#!/usr/bin/env bash
# Broken variant of step 3: inventory-updates' filter accepts only order_created, so changed orders never reach inventory.
# Apply AFTER the reference scripts (solution/cli/03-*.sh); it changes one thing only.
# Re-running solution/cli/03-*.sh puts the reference back.
# fails: step3.inventory-filter-accepts-order-updated
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The subscription of a queue to order-events (the reference script made exactly one).
subscription() {
  awsx sns list-subscriptions-by-topic --topic-arn "$(topic_arn order-events)" \
    --query "Subscriptions[?Endpoint=='$(queue_arn "$1")'].SubscriptionArn | [0]" --output text
}

awsx sns set-subscription-attributes --subscription-arn "$(subscription inventory-updates)" \
  --attribute-name FilterPolicy --attribute-value '{"event_type":["order_created"]}'
