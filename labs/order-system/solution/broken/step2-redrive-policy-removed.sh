#!/usr/bin/env bash
# Broken variant of step 2: shipping-orders has no RedrivePolicy (so no maxReceiveCount): a poison message is retried forever. (Its maxReceiveCount, DLQ-type and retention checks have no policy to read, so they skip rather than fail.)
# Apply AFTER the reference scripts (solution/cli/02-*.sh); it changes one thing only.
# Re-running solution/cli/02-*.sh puts the reference back.
# fails: step2.shipping-redrive-policy
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# An empty RedrivePolicy removes it (what the console's "Disabled" dead-letter setting does).
echo '{"RedrivePolicy": ""}' >"$LAB_TMP/attributes.json"
awsx sqs set-queue-attributes --queue-url "$(queue_url shipping-orders)" --attributes "file://$LAB_TMP/attributes.json"
