// ship-express: books express delivery for the order and returns the carrier's tracking id.
// orderId is returned too, so the notification after shipping can still name the order.
import { randomUUID } from "node:crypto";

export const handler = async (event) => {
  return {
    orderId: event?.orderId,
    service: "express",
    carrier: "AirFast",
    trackingId: `EXP-${randomUUID().slice(0, 8).toUpperCase()}`,
    estimatedDays: 1,
  };
};
