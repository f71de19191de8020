#!/usr/bin/env bash
# Broken variant of step 2: shipping-orders-dlq keeps the default retention (4 days), no longer than its source: a message that reaches it late is dropped on arrival.
# Apply AFTER the reference scripts (solution/cli/02-*.sh); it changes one thing only.
# Re-running solution/cli/02-*.sh puts the reference back.
# fails: step2.shipping-dlq-retention
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The learner created the DLQ by name only and never raised MessageRetentionPeriod.
awsx sqs set-queue-attributes --queue-url "$(queue_url shipping-orders-dlq)" --attributes MessageRetentionPeriod=345600
