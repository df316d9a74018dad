import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ProblemCollector, ValidationError } from './validation';

/** Which Terraform outputs a pattern writes. */
export interface PatternOutputs {
  /**
   * Put before every output name (`blue_` gives `blue_production_api_url`), for two patterns in one stack.
   * @default ''
   */
  readonly prefix?: string;
}

const OUTPUT_PREFIX = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Refuses a prefix that would not make valid Terraform output names (`props.outputs.prefix`). */
export function outputsProblems(problems: ProblemCollector, outputs: PatternOutputs | false | undefined): void {
  const prefix = outputs ? outputs.prefix : undefined;
  if (prefix === undefined || prefix === '') return;
  problems.check(OUTPUT_PREFIX.test(prefix), 'outputs.prefix', prefix, 'letters, digits, _ and -, starting with a letter or _, at most 64 characters');
}

/** The output names each stack's patterns wrote, with the pattern that wrote each. */
const written = new WeakMap<TerraformStack, Map<string, string>>();

/** Writes one output of a pattern: its name (before any prefix), value and description. */
export type WriteOutput = (name: string, value: unknown, description: string) => void;

/**
 * Writes a pattern's outputs under flat names (`production_api_url`, not `cluster_production_api_url_1A2B3C4D`),
 * whatever the pattern's depth in the construct tree, so `terraform output -raw production_api_url` reads the same
 * in a bundled stack and in a user's own. `false` writes none. Two outputs under one name would leave only the last
 * in the JSON, silently (a deploy reading the other app's group, say): a name another pattern or an output of the
 * stack already has is refused, and one added later fails the synth's validation.
 */
export function outputWriter(scope: Construct, options: PatternOutputs | false | undefined): WriteOutput {
  if (options === false) return () => undefined;
  const prefix = options?.prefix ?? '';
  const stack = TerraformStack.of(scope);
  let names = written.get(stack);
  if (!names) {
    // The stack's own outputs so far, read once per stack (a walk per pattern would cost a stack of many patterns
    // quadratic time); any written after are caught by the validation.
    names = new Map(outputsOf(stack).map((o) => [o.friendlyUniqueId, o.node.path]));
    written.set(stack, names);
    stack.node.addValidation({ validate: () => duplicateOutputs(stack) });
  }
  return (name, value, description) => {
    const full = `${prefix}${name}`;
    const other = names!.get(full);
    if (other !== undefined) {
      throw new ValidationError(`Outputs of "${scope.node.path}"`, [
        { field: 'props.outputs.prefix', value: prefix, expected: `a prefix that keeps the output ${full} apart from the one "${other}" already writes (or outputs: false)` },
      ]);
    }
    names!.set(full, scope.node.path);
    const output = new TerraformOutput(scope, full, { value, description });
    output.overrideLogicalId(full);
  };
}

function outputsOf(stack: TerraformStack): TerraformOutput[] {
  return stack.node.findAll().filter((c: IConstruct): c is TerraformOutput => c instanceof TerraformOutput);
}

/** Outputs that share a name, each pair as one message (cdktf keeps only the last of them). */
function duplicateOutputs(stack: TerraformStack): string[] {
  const seen = new Map<string, string>();
  const messages: string[] = [];
  for (const output of outputsOf(stack)) {
    const name = output.friendlyUniqueId;
    const first = seen.get(name);
    if (first !== undefined) messages.push(`The outputs "${first}" and "${output.node.path}" are both named ${name}; only one would reach the JSON (give a pattern outputs: { prefix })`);
    else seen.set(name, output.node.path);
  }
  return messages;
}
