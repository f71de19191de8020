#!/usr/bin/env bash
# Broken variant of step 3: inventory-updates' filter policy applies to the message body (FilterPolicyScope MessageBody) instead of the message attributes.
# Apply AFTER the reference scripts (solution/cli/03-*.sh); it changes one thing only.
# Re-running solution/cli/03-*.sh puts the reference back.
# fails: step3.inventory-filter-scope
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The subscription of a queue to order-events (the reference script made exactly one).
subscription() {
  awsx sns list-subscriptions-by-topic --topic-arn "$(topic_arn order-events)" \
    --query "Subscriptions[?Endpoint=='$(queue_arn "$1")'].SubscriptionArn | [0]" --output text
}

awsx sns set-subscription-attributes --subscription-arn "$(subscription inventory-updates)" \
  --attribute-name FilterPolicyScope --attribute-value MessageBody
