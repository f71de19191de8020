/** Loose shapes for Amazon States Language definitions: validated fields are read defensively. */

export interface StateDefinition {
  Type: string;
  [field: string]: unknown;
}

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, StateDefinition>;
  TimeoutSeconds?: number;
  Version?: string;
  QueryLanguage?: string;
}

/** A Parallel branch or a Map's ItemProcessor/Iterator: its own StartAt and States. */
export interface StatesContainer {
  StartAt: string;
  States: Record<string, StateDefinition>;
}

export interface Diagnostic {
  code: string;
  message: string;
  /** A pointer into the definition such as /States/Foo/Next, when AWS gives one. */
  location?: string;
}
