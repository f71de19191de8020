#!/usr/bin/env bash
# Broken variant of step 1: the topic is called order-event (singular).
# Apply AFTER the reference scripts (solution/cli/01-*.sh); it changes one thing only.
# Re-running solution/cli/01-*.sh puts the reference back.
# fails: step1.topic-exists
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

awsx sns create-topic --name order-event >/dev/null
awsx sns delete-topic --topic-arn "$(topic_arn order-events)"
