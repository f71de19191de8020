// premium-order-processor: the target of the high-value-orders EventBridge rule.
// It receives the whole event (or, with an input transformer, just the fields the rule picks);
// here it logs the order and marks it for priority handling.
export const handler = async (event) => {
  const detail = event?.detail ?? event ?? {};
  const result = {
    orderId: detail.orderId ?? detail.order_id ?? null,
    amount: detail.amount ?? null,
    priority: "high",
    source: event?.source ?? null,
    receivedAt: new Date().toISOString(),
  };
  console.log("premium order", JSON.stringify(result));
  return result;
};
