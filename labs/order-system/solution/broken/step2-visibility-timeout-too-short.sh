#!/usr/bin/env bash
# Broken variant of step 2: shipping-orders' visibility timeout is 10 s, below the 30 s a consumer needs: messages are delivered twice.
# Apply AFTER the reference scripts (solution/cli/02-*.sh); it changes one thing only.
# Re-running solution/cli/02-*.sh puts the reference back.
# fails: step2.shipping-visibility-timeout
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx sqs set-queue-attributes --queue-url "$(queue_url shipping-orders)" --attributes VisibilityTimeout=10
