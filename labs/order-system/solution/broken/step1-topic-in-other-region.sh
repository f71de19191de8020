#!/usr/bin/env bash
# Broken variant of step 1: order-events exists, but in another region than the connection's.
# Apply AFTER the reference scripts (solution/cli/01-*.sh); it changes one thing only.
# Re-running solution/cli/01-*.sh puts the reference back.
# fails: step1.topic-exists
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The console was left on another region: the topic was made there, not in $AWS_REGION.
other=us-west-2
[[ "$AWS_REGION" == "$other" ]] && other=eu-west-1
awsx sns delete-topic --topic-arn "$(topic_arn order-events)"
AWS_REGION=$other awsx sns create-topic --name order-events >/dev/null
