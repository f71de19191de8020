# shellcheck shell=bash
# Helpers shared by the order-system reference scripts. Source this file; it does nothing alone.
#
# Every AWS call goes through `awsx`, so one script serves AWS, LocalStack and the built-in
# sandbox alike: when AWS_ENDPOINT_URL is set it is also passed as --endpoint-url, because
# AWS CLIs older than 1.29 / 2.13 ignore the variable.

: "${AWS_REGION:=${AWS_DEFAULT_REGION:-us-east-1}}"
export AWS_REGION
export AWS_PAGER=""          # CLI v2 would otherwise page long output and wait for a key
export AWS_DEFAULT_OUTPUT=json

SOLUTION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SOLUTION_DIR

awsx() {
  if [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
    aws --region "$AWS_REGION" --endpoint-url "$AWS_ENDPOINT_URL" "$@"
  else
    aws --region "$AWS_REGION" "$@"
  fi
}

# Progress goes to stderr so that functions can print a value on stdout for $(...).
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

for tool in aws jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not on PATH"
done

LAB_TMP="$(mktemp -d)"
trap 'rm -rf "$LAB_TMP"' EXIT

account_id() { awsx sts get-caller-identity --query Account --output text; }

# ARN of an existing topic, found by listing (never built from a guessed account id).
topic_arn() {
  local arn
  arn=$(awsx sns list-topics --query "Topics[?ends_with(TopicArn, ':$1')].TopicArn | [0]" --output text)
  [[ -n "$arn" && "$arn" != "None" ]] || die "SNS topic $1 not found; run the step that creates it first"
  printf '%s\n' "$arn"
}

queue_url() { awsx sqs get-queue-url --queue-name "$1" --query QueueUrl --output text; }

queue_arn() {
  awsx sqs get-queue-attributes --queue-url "$(queue_url "$1")" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text
}

function_arn() {
  awsx lambda get-function --function-name "$1" --query Configuration.FunctionArn --output text
}

# ensure_role NAME SERVICE_PRINCIPAL -> prints the role ARN; creates the role when missing.
ensure_role() {
  local name=$1 service=$2 trust="$LAB_TMP/trust-$1.json"
  if ! awsx iam get-role --role-name "$name" >/dev/null 2>&1; then
    say "Creating IAM role $name (trusted by $service)"
    jq -n --arg svc "$service" '{
      Version: "2012-10-17",
      Statement: [{Effect: "Allow", Action: "sts:AssumeRole", Principal: {Service: $svc}}]
    }' >"$trust"
    awsx iam create-role --role-name "$name" --assume-role-policy-document "file://$trust" >/dev/null
    awsx iam wait role-exists --role-name "$name"
  fi
  awsx iam get-role --role-name "$name" --query Role.Arn --output text
}

# The execution role every lab function shares: it may write its own CloudWatch logs, nothing else.
# An inline policy rather than the AWS-managed one keeps it working on emulators that lack
# AWS's managed policies.
ensure_lambda_role() {
  local arn doc="$LAB_TMP/lambda-logs.json"
  arn=$(ensure_role lab-lambda-role lambda.amazonaws.com)
  jq -n --arg region "$AWS_REGION" --arg account "$(account_id)" '{
    Version: "2012-10-17",
    Statement: [{
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: "arn:aws:logs:\($region):\($account):log-group:/aws/lambda/*"
    }]
  }' >"$doc"
  awsx iam put-role-policy --role-name lab-lambda-role --policy-name lab-lambda-logs \
    --policy-document "file://$doc"
  printf '%s\n' "$arn"
}

# make_zip OUT FILE... : a flat zip (files at its root), with zip or, failing that, python3.
make_zip() {
  local out=$1; shift
  rm -f "$out"
  if command -v zip >/dev/null 2>&1; then
    zip -q -j "$out" "$@"
  else
    python3 -m zipfile -c "$out" "$@"
  fi
}

# deploy_function NAME SOURCE_FILE RUNTIME HANDLER ROLE_ARN : create, or update the code of, a function.
deploy_function() {
  local name=$1 src=$2 runtime=$3 handler=$4 role=$5
  local zip="$LAB_TMP/$name.zip" tries=0
  make_zip "$zip" "$src"
  if awsx lambda get-function --function-name "$name" >/dev/null 2>&1; then
    say "Updating Lambda function $name"
    awsx lambda update-function-code --function-name "$name" --zip-file "fileb://$zip" >/dev/null
    awsx lambda wait function-updated-v2 --function-name "$name"
    awsx lambda update-function-configuration --function-name "$name" \
      --runtime "$runtime" --handler "$handler" --role "$role" >/dev/null
    awsx lambda wait function-updated-v2 --function-name "$name"
    return
  fi
  say "Creating Lambda function $name ($runtime)"
  # A role created seconds ago may not be assumable by Lambda yet (IAM is eventually
  # consistent on AWS): retry that one error for about a minute.
  until awsx lambda create-function --function-name "$name" --runtime "$runtime" \
      --handler "$handler" --role "$role" --zip-file "fileb://$zip" \
      --timeout 10 --memory-size 128 >/dev/null 2>"$LAB_TMP/create-$name.err"; do
    tries=$((tries + 1))
    if grep -q "cannot be assumed" "$LAB_TMP/create-$name.err" && [[ $tries -lt 12 ]]; then
      say "  role not assumable yet, retrying in 5 s"
      sleep 5
      continue
    fi
    cat "$LAB_TMP/create-$name.err" >&2
    return 1
  done
  awsx lambda wait function-active-v2 --function-name "$name"
}
