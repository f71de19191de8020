"""validate-order in Python: the same contract as index.mjs, to show either runtime works.

Deploy with runtime python3.12 and handler lambda_function.lambda_handler. Lambda reports a
raised exception's class name as the error type, so Step Functions sees "ValidationError".
"""

from datetime import datetime, timezone


class ValidationError(Exception):
    """The order cannot be processed as given; retrying will not help."""


def lambda_handler(event, context):
    order_id = event.get("orderId") if isinstance(event, dict) else None
    if order_id is None or str(order_id).strip() == "":
        raise ValidationError("The order has no orderId, so it cannot be processed.")
    # Pass the whole order on, so every later state still has orderId and order.*.
    return {**event, "validatedAt": datetime.now(timezone.utc).isoformat()}
