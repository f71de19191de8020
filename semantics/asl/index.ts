export type * from "./types";
export { validateDefinition, formatDiagnostics } from "./validate";
export type { ValidateOptions, ValidationResult } from "./validate";
export {
  listStates, statesOfType, statesByType, findState, transitionsOf, reachableStates, unreachableStates, isTerminal,
  errorHandling, parallelBranches, choiceRules, taskTarget, findTasks, lambdaFunctionName, snsTopicArn, childContainers,
} from "./analysis";
export type { StateRef, Transition, ErrorHandling, BranchInfo, ChoiceRuleInfo, TaskTarget, TaskRef } from "./analysis";
export { errorEqualsMatches, isCatchable, StatesError } from "./errors";
export { runStateMachine } from "./interpreter";
export type { RunOptions, TaskHandler, TaskContext, ExecutionResult, ExecutionStatus } from "./interpreter";
export type { HistoryEvent, HistoryEventType } from "./history";
export { systemClock, fakeClock } from "./clock";
export type { Clock, FakeClock } from "./clock";
export { readPath, applyResultPath, parseReferencePath } from "./paths";
export { evaluateIntrinsic, supportedIntrinsics } from "./intrinsics";
export { evaluatePayload } from "./payload";
export { evaluateRule } from "./choice";
