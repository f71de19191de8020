// validate-order: the first task of order-processing.
// A bad order is the caller's mistake, not a passing fault, so it throws ValidationError: the
// state machine catches that name (and does not retry it) and notifies order-failures.

export class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValidationError"; // Lambda reports this as the error type Step Functions matches
  }
}

export const handler = async (event) => {
  const orderId = event?.orderId;
  if (orderId === undefined || orderId === null || String(orderId).trim() === "") {
    throw new ValidationError("The order has no orderId, so it cannot be processed.");
  }
  // Pass the whole order on, so every later state still has orderId and order.*.
  return { ...event, validatedAt: new Date().toISOString() };
};
