#!/usr/bin/env bash
# Broken variant of step 5: the Choice tests $.isPremium instead of $.order.isPremium, a path the order does not have: every run fails in the Choice (States.Runtime).
# Apply AFTER the reference scripts (solution/cli/05-*.sh); it changes one thing only.
# Re-running solution/cli/05-*.sh puts the reference back.
# fails: step5.choice-premium step5.run-premium step5.run-standard
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# shellcheck source=SCRIPTDIR/lib/edit-definition.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/edit-definition.sh"

edit_definition '.States.PremiumOrNot.Choices[0].Variable = "$.isPremium"'
