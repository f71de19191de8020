#!/usr/bin/env bash
# Broken variant of step 4: the rule high-value-orders exists but is DISABLED.
# Apply AFTER the reference scripts (solution/cli/04-*.sh); it changes one thing only.
# Re-running solution/cli/04-*.sh puts the reference back.
# fails: step4.rule-enabled
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx events disable-rule --name high-value-orders --event-bus-name default
