#!/usr/bin/env bash
# Broken variant of step 5: the Parallel has no ResultPath (the source material's mistake): its array output replaces the order, so the Choice cannot read $.order.isPremium.
# Apply AFTER the reference scripts (solution/cli/05-*.sh); it changes one thing only.
# Re-running solution/cli/05-*.sh puts the reference back.
# fails: step5.run-premium step5.run-standard
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# shellcheck source=SCRIPTDIR/lib/edit-definition.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/edit-definition.sh"

edit_definition 'del(.States.ReserveStockAndFunds.ResultPath)'
