// SNS subscription filter policies: validate like SNS (with its InvalidParameter texts), then
// evaluate against message attributes or a JSON body. Pure: no I/O, no Node APIs; never throws.

export { validateFilterPolicy, MAX_POLICY_BYTES, MAX_POLICY_DEPTH } from "./validate";
export type { CompiledFilterPolicy, CompiledKey, ValidateOptions, ValidateResult } from "./validate";
export { evaluateFilterPolicy, explainFilterPolicy } from "./evaluate";
export type { FilterExplanation, SnsMessage } from "./evaluate";
export type { MessageAttribute } from "./attributes";
export type { Scope } from "./parse";
export type { SnsApi, SnsPolicyError } from "./errors";
export { MAX_COMBINATIONS, MAX_KEYS } from "./limits";
