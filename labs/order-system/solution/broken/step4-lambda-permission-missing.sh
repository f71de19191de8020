#!/usr/bin/env bash
# Broken variant of step 4: premium-order-processor has no resource-policy statement letting events.amazonaws.com invoke it: EventBridge's calls are refused.
# Apply AFTER the reference scripts (solution/cli/04-*.sh); it changes one thing only.
# Re-running solution/cli/04-*.sh puts the reference back.
# fails: step4.function-allows-rule
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx lambda remove-permission --function-name premium-order-processor --statement-id high-value-orders-invoke
