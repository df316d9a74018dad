import { Token } from 'cdktf';

/** One bad input: where it is, what it was, and what would have been accepted. */
export interface Problem {
  /** Dotted path of the field, e.g. `stacks.clusterAws.availabilityZones` or `props.minInstances`. */
  readonly field: string;
  /**
   * The value that was given: `undefined` when the field was missing; leave the key out for problems not about a value.
   * @default - no value: the problem is about the text itself (a YAML syntax error), not a field's value
   */
  readonly value?: unknown;
  /** What is allowed, phrased to complete "expected ...". */
  readonly expected: string;
  /**
   * Where the value came from when it was not the file or props (an environment variable, say).
   * @default - the config file or the props
   */
  readonly source?: string;
}

/**
 * Thrown when input is invalid. It lists every problem at once, each naming the field, the value it got
 * and what is allowed, so one run tells the user everything to fix. Thrown before anything is synthesized.
 */
export class ValidationError extends Error {
  /** Every problem found, in the order they were found. */
  public readonly problems: readonly Problem[];
  /** What was checked: `Config file deploy.yaml`, or a construct as `Network "cluster-aws/network"`. */
  public readonly subject: string;

  constructor(subject: string, problems: readonly Problem[]) {
    super(formatProblems(subject, problems));
    this.name = 'ValidationError';
    this.problems = problems;
    this.subject = subject;
  }
}

/** Renders a value the way a user would have written it; long values are shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The error message: `<subject> has N problems; nothing was synthesized:` and one `  - field: got X; expected Y` line each. */
export function formatProblems(subject: string, problems: readonly Problem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => {
    const where = p.source ? `${p.field} (from ${p.source})` : p.field;
    // A problem without a `value` key is about the text itself (a YAML syntax error), not a field's value.
    const got = !('value' in p) ? '' : p.value === undefined ? 'missing; ' : `got ${describeValue(p.value)}; `;
    return `  - ${where}: ${got}expected ${p.expected}`;
  });
  return `${subject} has ${count}; nothing was synthesized:\n${lines.join('\n')}`;
}

/**
 * Collects problems for one construct or config object and throws them together.
 * Values that are cdktf tokens (resolved only at apply time) are never checked.
 */
export class ProblemCollector {
  private readonly problems: Problem[] = [];

  constructor(private readonly prefix = '') {}

  /** Records a problem unless `ok` holds or the value is an unresolved token. */
  check(ok: boolean, field: string, value: unknown, expected: string): this {
    if (!ok && !isToken(value)) this.problems.push({ field: this.prefix + field, value, expected });
    return this;
  }

  /** Records a problem unless `value` is a whole number of at least `min`. */
  wholeNumber(field: string, value: number, min: number): this {
    return this.check(Number.isInteger(value) && value >= min, field, value, `a whole number of at least ${min}`);
  }

  /** Records a problem as it is, its field prefixed like every other (for checks `check` cannot express). */
  add(problem: Problem): this {
    this.problems.push({ ...problem, field: this.prefix + problem.field });
    return this;
  }

  /** The problems recorded so far. */
  get list(): readonly Problem[] {
    return this.problems;
  }

  /** Throws a ValidationError naming `subject` when any problem was recorded. */
  throwIfAny(subject: string): void {
    if (this.problems.length > 0) throw new ValidationError(subject, this.problems);
  }
}

function isToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some((v) => isToken(v));
  return false;
}
