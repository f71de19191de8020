#!/usr/bin/env bash
# Broken variant of step 2: inventory-updates' dead-letter queue was deleted, so its RedrivePolicy names a queue that does not exist.
# Apply AFTER the reference scripts (solution/cli/02-*.sh); it changes one thing only.
# Re-running solution/cli/02-*.sh puts the reference back.
# fails: step2.inventory-redrive-policy
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx sqs delete-queue --queue-url "$(queue_url inventory-updates-dlq)"
