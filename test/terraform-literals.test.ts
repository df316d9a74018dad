import { spawnSync } from 'child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { literalStrings } from '../lib/terraform-strings';
import { StackJson, synthBundled, synthJson } from './helpers/synth';

// The real terraform binary reads what the library writes: a local-only configuration (outputs and locals, no
// provider, nothing to download) holding hostile values, applied, and its outputs compared byte for byte.

const tf = spawnSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
const available = !tf.error && tf.status === 0;
if (!available) {
  // eslint-disable-next-line no-console
  console.warn('terraform-literals tests skipped: the terraform binary is not on PATH.');
}
const maybe = available ? describe : describe.skip;

/** Values Terraform would evaluate, or that turn into quotes or line breaks once it has. */
const HOSTILE: Record<string, string> = {
  file: '${file("/etc/hostname")}',
  directive: '%{ if true }yes%{ else }no%{ endif }',
  quote: '${"\\u0027"}',
  escapedAlready: '$${not an expression} %%{ nor a directive }',
  dollarsAndBraces: '$ $$ $$$ ${ } %{ } { } $}',
  trailing: 'ends with $',
  backslashes: 'a\\b\\\\c\\n\\"',
  quotes: `'single' "double"`,
  shell: '$(touch /tmp/x) `id`',
  unicode: 'zoë ✓ \u2028',
  tabs: 'a\tb',
  nested: '${jsonencode({a = "${path.cwd}"})}',
};

/** Applies a configuration with no provider and returns its outputs' values. */
function applyOutputs(config: StackJson): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-literals-'));
  try {
    const copy = structuredClone(config);
    copy.terraform = { backend: { local: { path: join(dir, 'terraform.tfstate') } } };
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(copy, null, 2));
    mkdirSync(join(dir, 'home'));
    const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color']]) {
      const run = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.stdout}\n${run.stderr}`);
    }
    const out = spawnSync('terraform', ['output', '-json'], { cwd: dir, env, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`terraform output failed:\n${out.stderr}`);
    return Object.fromEntries(Object.entries<{ value: unknown }>(JSON.parse(out.stdout)).map(([k, v]) => [k, v.value]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A construct of the library's kind: its elements write literal strings. */
class Literals extends Construct {
  constructor(scope: Construct, id: string, values: Record<string, string>) {
    super(scope, id);
    literalStrings(this);
    for (const [name, value] of Object.entries(values)) {
      new TerraformOutput(this, name, { value }).overrideLogicalId(name);
      // A local holding the value, read back through a reference: a token beside literal text in one string.
      const local = new TerraformLocal(this, `${name}_local`, value);
      new TerraformOutput(this, `${name}_via_local`, { value: `<${local.asString}>` }).overrideLogicalId(`${name}_via_local`);
      new TerraformOutput(this, `${name}_map`, { value: { [value]: value } }).overrideLogicalId(`${name}_map`);
      // The value right before a reference: a final `$` must not swallow it.
      new TerraformOutput(this, `${name}_then_local`, { value: `${value}$${local.asString}` }).overrideLogicalId(`${name}_then_local`);
    }
  }
}

maybe('terraform reads literal strings back exactly', () => {
  it('outputs, locals and map keys a construct writes come back byte for byte', () => {
    const stack = new TerraformStack(Testing.app(), 'literals');
    new Literals(stack, 'values', HOSTILE);
    const outputs = applyOutputs(synthJson(stack));
    for (const [name, value] of Object.entries(HOSTILE)) {
      expect([name, outputs[name]]).toEqual([name, value]);
      expect([name, outputs[`${name}_via_local`]]).toEqual([name, `<${value}>`]);
      expect([name, outputs[`${name}_map`]]).toEqual([name, { [value]: value }]);
      expect([name, outputs[`${name}_then_local`]]).toEqual([name, `${value}$${value}`]);
    }
  });

  it('the serverless stack\'s environment values, as synthesized, are the config\'s values once terraform reads them', () => {
    const environment = Object.fromEntries(Object.entries(HOSTILE).map(([k, v]) => [`HOSTILE_${k.toUpperCase()}`, v]));
    const { stacks } = synthBundled(JSON.stringify({ domain: 'shop.example', app: { environment }, stacks: { 'serverless-gcp': { project: 'shop-prod' } } }));
    const services = Object.values<any>(stacks['serverless-gcp'].resource.google_cloud_run_v2_service);
    const env: { name: string; value?: string }[] = services[0].template.containers[0].env;
    const written = env.filter((e) => e.name.startsWith('HOSTILE_'));
    expect(written.map((e) => e.name).sort()).toEqual(Object.keys(environment).sort());
    // The strings exactly as they are in the synthesized JSON, as outputs of an otherwise empty configuration.
    const outputs = applyOutputs({ output: Object.fromEntries(written.map((e) => [e.name, { value: e.value }])) });
    expect(outputs).toEqual(environment);
  });
});
