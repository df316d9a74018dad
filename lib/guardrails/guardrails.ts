import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { AnnotationMetadataEntryType, App, IAspect, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
// cdktf's hook for a construct that writes files at synthesis (as TerraformAsset does); not in its index.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { StackModel, SynthesizedJson } from '../model/stack-model';
import { ProblemCollector } from '../validation';
import { evaluateRules, RawFinding } from './engine';
import { guardrailsTable, printable } from './report';
import { GuardrailRule, GuardrailSeverity } from './rule';
import { GUARDRAIL_RULES } from './rules';
import { checkSuppression, GuardrailSuppression, SUPPRESSION_METADATA } from './suppress';

/** A suppression given to the aspect (from deploy.yaml, say) rather than put on a construct. */
export interface StackSuppression extends GuardrailSuppression {
  /**
   * The resources it covers: Terraform addresses (`google_storage_bucket.assets`) or construct paths inside the stack
   * (`cluster/production/Buckets`, covering everything under it).
   * @default - every resource of the stack
   */
  readonly resources?: readonly string[];
  /** Where it was written, for messages and the report (`deploy.yaml guardrails.suppress[0]`). @default - `suppressions[<index>]` */
  readonly source?: string;
}

/** Options of the `Guardrails` aspect. */
export interface GuardrailsOptions {
  /** The rules to run. @default GUARDRAIL_RULES, every rule this package ships */
  readonly rules?: readonly GuardrailRule[];
  /** Suppressions besides those put on constructs with `suppressGuardrails`. @default [] */
  readonly suppressions?: readonly StackSuppression[];
  /** Write `guardrails.json` into the stack's folder of cdktf's output. @default true */
  readonly report?: boolean;
  /** List the suppressions (rule, resources, reason) in the printed table too. @default false: the summary points to the report */
  readonly listSuppressed?: boolean;
  /** Where the table of findings is printed at synth; `false` prints nothing. @default process.stdout */
  readonly print?: {
    /** Writes text as it is. */
    write(text: string): unknown;
  } | false;
}

/** One finding of the report. */
export interface GuardrailFinding {
  /** The rule's id. */
  readonly rule: string;
  /** The rule's severity. */
  readonly severity: GuardrailSeverity;
  /** The resource's Terraform address, `type.name`. */
  readonly resource: string;
  /** One line naming the resource and the argument. */
  readonly message: string;
  /** Whether a suppression covers it. */
  readonly suppressed: boolean;
  /** The suppression's reason; null when not suppressed. */
  readonly reason: string | null;
  /** The resource's construct path. */
  readonly path: string;
}

/** The report of one stack: what `guardrails.json` holds. */
export interface GuardrailsReport {
  /** The stack's id. */
  readonly stack: string;
  /** How many rules ran. */
  readonly rules: number;
  /** Every finding, suppressed or not, by resource in the stack's order. */
  readonly findings: readonly GuardrailFinding[];
  /** Suppressions that covered nothing (a resource renamed or gone, or a fixed finding): worth deleting. */
  readonly unusedSuppressions: readonly {
    /** The rule it names. */
    readonly rule: string;
    /** Where it was given: a construct path, or its source in the file. */
    readonly where: string;
  }[];
}

interface PlacedSuppression extends GuardrailSuppression {
  /** Where it was given, for the unused list: a construct path, or `suppressions[<n>]`. */
  readonly where: string;
  /** Does it cover a resource (address, construct path)? */
  readonly covers: (address: string, path: string, attribute: string) => boolean;
}

/** The Guardrails a stack has. */
const GUARDRAILS_OF_STACK = Symbol.for('cdktf-serverpod.guardrails');

/** cdktf-cli sets it to have a synth with error annotations go on (and print them itself). */
const CONTINUE_ON_ERRORS = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/** A suppression limited to some arguments covers a finding on one of them (or inside one: `ingress` covers `ingress.cidr_blocks`). */
const onAttribute = (attributes: readonly string[] | undefined, attribute: string) =>
  attributes === undefined || attributes.some((a) => attribute === a || attribute.startsWith(`${a}.`));

const underPath = (prefix: string, path: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The guardrails: checks every resource a stack synthesizes (its own, a pattern's, or one added by hand) against
 * the rule pack, writes the report to `cdktf.out/stacks/<stack>/guardrails.json`, prints a table, and fails the
 * synth on an error no suppression covers. Add it to a stack (cdktf does not apply an app's aspects to its
 * stacks); the bundled stacks have it already.
 *
 * @example
 * ```ts
 * import { Aspects, App, TerraformStack } from 'cdktf';
 * import { Guardrails } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'my-stack');
 * Aspects.of(stack).add(new Guardrails());
 * ```
 */
export class Guardrails implements IAspect {
  /** The last report of each stack this aspect checked. */
  public readonly reports = new Map<string, GuardrailsReport>();
  private readonly options: GuardrailsOptions;
  private readonly registered = new WeakSet<TerraformStack>();
  /** Each stack's JSON as the last check resolved it, until it is handed to the synthesizer. */
  private readonly resolved = new WeakMap<TerraformStack, unknown>();

  constructor(options: GuardrailsOptions = {}) {
    const problems = new ProblemCollector();
    (options.suppressions ?? []).forEach((s, i) => checkSuppression(problems, `suppressions[${i}]`, s));
    problems.throwIfAny('Guardrails');
    this.options = options;
  }

  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    if (this.registered.has(stack)) return;
    this.registered.add(stack);
    // Two would each write the stack's one report, the second over the first: one aspect, with every rule in it.
    const holder = stack as unknown as Record<symbol, Guardrails | undefined>;
    const other = holder[GUARDRAILS_OF_STACK];
    if (other !== undefined && other !== this) {
      throw new Error(`Stack ${stack.node.id} already has Guardrails: give one Guardrails every rule (rules: [...GUARDRAIL_RULES, ...yours]; createStacks takes guardrails.rules) instead of adding a second`);
    }
    Object.defineProperty(stack, GUARDRAILS_OF_STACK, { value: this, enumerable: false });
    stack.node.addValidation({ validate: () => this.validate(stack) });
    // The table and the report of a stack that passes come at the writing of the stack (cdktf's custom synthesis,
    // run by app.synth() and cdktf synth, not by Testing.synth), into the session's output folder.
    addCustomSynthesis(new Construct(stack, 'Guardrails'), {
      onSynthesize: (session: { outdir: string }) => {
        const report = this.reports.get(stack.node.id);
        if (report) this.publish(report, session.outdir);
        this.handOver(stack);
      },
    });
  }

  /** Checks a stack's resources and returns the report (no file, no table, no failure). */
  public check(stack: TerraformStack, json: SynthesizedJson = stack.toTerraform() as SynthesizedJson): GuardrailsReport {
    const rules = this.options.rules ?? GUARDRAIL_RULES;
    const model = StackModel.fromJson(json, stack.node.id);
    const suppressions = this.suppressionsOf(stack);
    const used = new Set<PlacedSuppression>();
    const findings = evaluateRules(model, rules).map((f: RawFinding): GuardrailFinding => {
      const by = suppressions.find((s) => s.rule === f.rule && s.covers(f.resource, f.path, f.attribute));
      if (by) used.add(by);
      return { rule: f.rule, severity: f.severity, resource: f.resource, message: f.message, suppressed: by !== undefined, reason: by?.reason ?? null, path: f.path };
    });
    return {
      stack: stack.node.id,
      rules: rules.length,
      findings,
      unusedSuppressions: suppressions.filter((s) => !used.has(s)).map((s) => ({ rule: s.rule, where: s.where })),
    };
  }

  private validate(stack: TerraformStack): string[] {
    const rules = this.options.rules ?? GUARDRAIL_RULES;
    const known = new Set(rules.map((r) => r.id));
    const unknown = this.suppressionsOf(stack).filter((s) => !known.has(s.rule));
    if (unknown.length > 0) {
      return unknown.map((s) => `guardrail suppression at ${s.where} names rule "${s.rule}", which no rule has; the rules are listed in docs/guardrails.md`);
    }
    // Always the stack as it is now: a hand-over a stopped synth left behind must not be read.
    delete (stack as unknown as { toTerraform?: unknown }).toTerraform;
    const json = stack.toTerraform();
    this.resolved.set(stack, json);
    const report = this.check(stack, json as SynthesizedJson);
    this.reports.set(stack.node.id, report);
    const errors = report.findings.filter((f) => f.severity === 'error' && !f.suppressed);
    if (errors.length === 0) return [];
    // The synth stops here: the table and the report now, for the user and for CI.
    this.publish(report, App.of(stack).outdir);
    return [
      `${errors.length} guardrail ${errors.length === 1 ? 'error' : 'errors'} in stack ${stack.node.id}. Fix the resource, or suppress the rule on it with a reason (suppressGuardrails in code, guardrails.suppress in deploy.yaml; docs/guardrails.md):\n${errors.map((f) => `    ${f.rule}: ${printable(f.message)}`).join('\n')}`,
    ];
  }

  /**
   * Once every validation has passed, the synthesizer's next step is toTerraform() to write the stack: hand it the
   * JSON the check resolved instead of resolving the whole stack twice (most of a synth's time). Not when an error
   * annotation will stop the synth before that call; the method is the prototype's again after one call.
   */
  private handOver(stack: TerraformStack): void {
    const json = this.resolved.get(stack);
    this.resolved.delete(stack);
    if (json === undefined) return;
    const stops = process.env[CONTINUE_ON_ERRORS] === undefined && stack.node.findAll().some((c) => c.node.metadata.some((m) => m.type === AnnotationMetadataEntryType.ERROR));
    if (stops) return;
    const own = stack as unknown as { toTerraform?: () => unknown };
    own.toTerraform = () => {
      delete own.toTerraform;
      return json;
    };
  }

  private publish(report: GuardrailsReport, outdir: string): void {
    if (this.options.report ?? true) {
      const folder = join(outdir, 'stacks', report.stack);
      mkdirSync(folder, { recursive: true });
      const findings = report.findings.map(({ path: _path, ...f }) => f);
      writeFileSync(join(folder, 'guardrails.json'), `${JSON.stringify({ stack: report.stack, findings, unusedSuppressions: report.unusedSuppressions }, null, 2)}\n`);
    }
    const print = this.options.print ?? process.stdout;
    if (print) print.write(guardrailsTable(report, undefined, this.options.listSuppressed));
  }

  private suppressionsOf(stack: TerraformStack): PlacedSuppression[] {
    const placed: PlacedSuppression[] = [];
    for (const c of stack.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type !== SUPPRESSION_METADATA) continue;
        const { rule, reason, attributes } = m.data as GuardrailSuppression;
        const path = c.node.path;
        placed.push({ rule, reason, where: path, covers: (_address, resourcePath, attribute) => underPath(path, resourcePath) && onAttribute(attributes, attribute) });
      }
    }
    (this.options.suppressions ?? []).forEach((s, i) => {
      // A construct path inside the stack, with or without the stack's id in front (as cdk.tf.json records it).
      const inStack = (r: string) => {
        const trimmed = r.replace(/^\/+|\/+$/g, '');
        return trimmed === stack.node.path || trimmed.startsWith(`${stack.node.path}/`) ? trimmed : `${stack.node.path}/${trimmed}`;
      };
      const targets = s.resources?.map((r) => (r.includes('/') || !r.includes('.') ? inStack(r) : r));
      placed.push({
        rule: s.rule,
        reason: s.reason.trim(),
        where: s.source ?? `suppressions[${i}]`,
        covers: (address, path, attribute) => (targets === undefined || targets.some((t) => t === address || underPath(t, path))) && onAttribute(s.attributes, attribute),
      });
    });
    return placed;
  }
}
