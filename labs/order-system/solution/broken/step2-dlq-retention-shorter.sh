#!/usr/bin/env bash
# Broken variant of step 2: inventory-updates-dlq keeps messages 1 day, shorter than its source's 4 days: failed orders expire in the DLQ before anyone looks.
# Apply AFTER the reference scripts (solution/cli/02-*.sh); it changes one thing only.
# Re-running solution/cli/02-*.sh puts the reference back.
# fails: step2.inventory-dlq-retention
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx sqs set-queue-attributes --queue-url "$(queue_url inventory-updates-dlq)" --attributes MessageRetentionPeriod=86400
