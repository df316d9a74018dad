import { App, Testing, TerraformStack } from 'cdktf';
import { DeployConfig } from '../../lib/config/schema';
import { withoutVersionPins } from '../../lib/testing';
import { parseConfig } from '../../lib/config/load';
import { createStacks } from '../../stacks/app';

/** Synthesized stack JSON (metadata stripped, keys sorted, as cdktf's Testing.synth gives it). */
export type StackJson = Record<string, any>;

/** Synthesizes one stack and parses it. Validations run, as they do in `cdktf synth`. */
export function synthJson(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack, true));
}

/** The JSON to snapshot: provider version pins removed (the library's own helper, which users get too). */
export const forSnapshot = (json: StackJson): StackJson => withoutVersionPins(json);

/** A fresh test app (stubbed cdktf version, no stack traces). */
export function testApp(): App {
  return Testing.app();
}

/** Builds the bundled stacks from config text, as `stacks/main.ts` does from the file. */
export function synthBundled(configText: string, env: Record<string, string> = {}): { config: DeployConfig; stacks: Record<string, StackJson> } {
  const config = parseConfig(configText, { source: 'test config', env });
  const built = createStacks(testApp(), config, { guardrails: { print: false } });
  const stacks: Record<string, StackJson> = {};
  for (const [id, stack] of Object.entries(built)) if (stack) stacks[id] = synthJson(stack);
  return { config, stacks };
}

/** Every `resource` block as `type.name` → body. */
export function resources(json: StackJson): Map<string, Record<string, any>> {
  const out = new Map<string, Record<string, any>>();
  for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, body);
  }
  return out;
}

/** The resources of one type, in name order. */
export function resourcesOfType(json: StackJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/**
 * What a boot script hands the container, read statically from the synthesized (Terraform template) script:
 * each plain variable's decoded value (a Terraform expression such as `${aws_db_instance.x.address}` where the
 * value is a reference; `$SERVER_ID` where the machine id goes), and each secret variable's fetch command.
 */
export function bootVariables(script: string): { plain: Record<string, string>; secrets: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const decode = (word: string) => {
    const expression = /^\$\{base64encode\((.*)\)\}$/.exec(word);
    return expression ? `\${${expression[1]}}` : Buffer.from(word, 'base64').toString('utf8');
  };
  for (const line of script.split('\n')) {
    const file = /> \/run\/[^/]+\/env\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(line);
    if (!file) continue;
    const parts = [...line.matchAll(/printf '%s' (?:'([^']*)' \| base64 -d|"\$SERVER_ID")/g)];
    if (parts.length > 0) plain[file[1]] = parts.map((p) => (p[1] === undefined ? '$SERVER_ID' : decode(p[1]))).join('');
    else secrets[file[1]] = line.replace(/^\{ /, '').replace(/; \} > .*$/, '');
  }
  return { plain, secrets };
}
