// check-inventory: one branch of the Parallel state. A real version would query stock levels;
// the lab's version reports every order as in stock.
export const handler = async (event) => {
  return {
    orderId: event?.orderId,
    inStock: true,
    warehouse: "us-east-main",
    checkedAt: new Date().toISOString(),
  };
};
