#!/usr/bin/env bash
# Broken variant of step 4: the rule matches source "com.myapp.order" (singular), which no order event has.
# Apply AFTER the reference scripts (solution/cli/04-*.sh); it changes one thing only.
# Re-running solution/cli/04-*.sh puts the reference back.
# fails: step4.pattern-matches-1000 step4.pattern-matches-1500
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

put_pattern() {
  awsx events put-rule --name high-value-orders --event-bus-name default --state ENABLED \
    --event-pattern "$1" >/dev/null
}

put_pattern '{"detail-type":["OrderCreated"],"source":["com.myapp.order"],"detail":{"amount":[{"numeric":[">=",1000]}]}}'
