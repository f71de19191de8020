// lib/connections: a learner's connection to their lab's account, and what grading needs of it.
export { loadConnectOptions } from "./connect-options";
export { connectionView, connectSandbox, connectLocalStack, connectAws, resetSandbox, revealSandboxKeys, getConnection } from "./connections";
export type { ConnectionView } from "./connections";
export { testConnection } from "./test-connection";
export type { ConnectionTestResult } from "./test-connection";
