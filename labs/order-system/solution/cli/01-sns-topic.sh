#!/usr/bin/env bash
# Step 1: the standard SNS topic that every order event is published to.
# CreateTopic is idempotent: running this again returns the same ARN.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

say "Creating standard SNS topic order-events in $AWS_REGION"
topic=$(awsx sns create-topic --name order-events --query TopicArn --output text)
say "Topic ready: $topic"
