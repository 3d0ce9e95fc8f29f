// How a long check yields: the language server runs it in a worker thread and may supersede it
// (a newer edit) or give each deployment a time budget. The checker asks at checkpoints —
// between variants, between main configurations, between deployments and between rule
// families — so a hostile repository never holds the check for longer than one step.

/** Thrown at a checkpoint when a newer check supersedes this one: nothing of it is published. */
export class CheckCancelled extends Error {
  constructor() {
    super('superseded by a newer check');
    this.name = 'CheckCancelled';
  }
}

/** Thrown at a checkpoint of an evaluation that spent its deployment's time budget. */
export class CheckBudgetExceeded extends Error {
  constructor(readonly spentMs: number) {
    super(`time budget spent after ${Math.round(spentMs)} ms`);
    this.name = 'CheckBudgetExceeded';
  }
}

/**
 * A checkpoint's own throw — superseded, or out of time — is how a check stops, not a failure of
 * the step it interrupted: the isolation of rules, files and directives passes it on.
 */
export function isCheckControl(error: unknown): boolean {
  return error instanceof CheckCancelled || error instanceof CheckBudgetExceeded;
}

export interface CheckControl {
  /** Throws CheckCancelled when the check is superseded. */
  checkpoint(): void;
  /** Time budget of one deployment (its main configuration's evaluation and its rules), ms. */
  budgetMs: number;
  /** The clock (ms); tests may replace it. */
  now(): number;
  /** Which main configuration each file belongs to, as soon as a main is evaluated. */
  onEvaluated?(main: string, files: readonly string[]): void;
}

/** Which deployment each checked file belongs to: its main configuration, or null on its own. */
export type Membership = Record<string, string | null>;
