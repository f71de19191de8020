#!/usr/bin/env bash
# Broken variant of step 5: Validate has no Catch, so a ValidationError fails the execution without any failure notification.
# Apply AFTER the reference scripts (solution/cli/05-*.sh); it changes one thing only.
# Re-running solution/cli/05-*.sh puts the reference back.
# fails: step5.validation-catch step5.run-validation-error
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# shellcheck source=SCRIPTDIR/lib/edit-definition.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/edit-definition.sh"

edit_definition 'del(.States.Validate.Catch)'
