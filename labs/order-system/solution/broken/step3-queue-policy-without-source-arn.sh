#!/usr/bin/env bash
# Broken variant of step 3: shipping-orders' queue policy lets sns.amazonaws.com send without the aws:SourceArn condition, so any topic (anyone's) can write to it.
# Apply AFTER the reference scripts (solution/cli/03-*.sh); it changes one thing only.
# Re-running solution/cli/03-*.sh puts the reference back.
# fails: step3.shipping-policy-denies-other-topics
set -euo pipefail
# shellcheck source=SCRIPTDIR/../cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

jq -n --arg queue "$(queue_arn shipping-orders)" '{
  Version: "2012-10-17",
  Statement: [{Sid: "AnyTopic", Effect: "Allow", Action: "sqs:SendMessage", Resource: $queue,
               Principal: {Service: "sns.amazonaws.com"}}]
} | {Policy: tojson}' >"$LAB_TMP/policy.json"
awsx sqs set-queue-attributes --queue-url "$(queue_url shipping-orders)" --attributes "file://$LAB_TMP/policy.json"
