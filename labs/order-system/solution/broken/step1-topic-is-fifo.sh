#!/usr/bin/env bash
# Broken variant of step 1: the topic is FIFO (order-events.fifo) instead of the standard order-events.
# Apply AFTER the reference scripts (solution/cli/01-*.sh); it changes one thing only.
# Re-running solution/cli/01-*.sh puts the reference back.
# fails: step1.topic-exists
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

# The learner read "ordered events" and made a FIFO topic; the standard one is gone.
awsx sns create-topic --name order-events.fifo --attributes FifoTopic=true,ContentBasedDeduplication=true >/dev/null
awsx sns delete-topic --topic-arn "$(topic_arn order-events)"
