// reserve-payment: the other branch of the Parallel state. It places a hold for the order's
// amount and returns the hold's id; no money moves in the lab.
import { randomUUID } from "node:crypto";

export const handler = async (event) => {
  return {
    orderId: event?.orderId,
    reservationId: `res-${randomUUID()}`,
    amount: event?.order?.amount ?? 0,
    currency: "USD",
  };
};
