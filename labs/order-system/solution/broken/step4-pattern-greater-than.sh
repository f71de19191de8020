#!/usr/bin/env bash
# Broken variant of step 4: the rule matches detail.amount ">" 1000 where the lab asks ">=" 1000, so an order of exactly 1000 is not premium.
# Apply AFTER the reference scripts (solution/cli/04-*.sh); it changes one thing only.
# Re-running solution/cli/04-*.sh puts the reference back.
# fails: step4.pattern-matches-1000
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

put_pattern() {
  awsx events put-rule --name high-value-orders --event-bus-name default --state ENABLED \
    --event-pattern "$1" >/dev/null
}

put_pattern '{"detail-type":["OrderCreated"],"source":["com.myapp.orders"],"detail":{"amount":[{"numeric":[">",1000]}]}}'
