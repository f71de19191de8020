import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The lab's reference state machine, with the deploy script's tokens filled in as it would. */
export const LAB_DEFINITION_TEMPLATE = readFileSync(
  fileURLToPath(new URL("../../../labs/order-system/solution/order-processing.asl.json", import.meta.url)),
  "utf8",
);

export const LAB_DEFINITION = LAB_DEFINITION_TEMPLATE.replaceAll("${Region}", "us-east-1").replaceAll("${AccountId}", "123456789012");

/** Tests read and edit definitions and task inputs as free-form JSON; one loose type keeps that readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EditableJson = any;

export function labDefinitionObject(): EditableJson {
  return JSON.parse(LAB_DEFINITION) as EditableJson;
}
