import { readdirSync } from 'fs';
import { join } from 'path';
import { EXAMPLE_BUILDERS } from './example-list';
import { danglingReferences } from './helpers/references';
import { forSnapshot, synthJson, testApp } from './helpers/synth';

it('checks every folder under examples/', () => {
  const folders = readdirSync(join(__dirname, '..', 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  expect(Object.keys(EXAMPLE_BUILDERS).sort()).toEqual(folders.sort());
});

// Each example synthesizes here; the AWS ones are also planned in terraform-plan.test.ts.
describe.each(Object.entries(EXAMPLE_BUILDERS))('example %s', (_name, build) => {
  const built = build(testApp());
  const stacks = built.map((s) => [s.node.id, synthJson(s)] as const);

  it('synthesizes without warnings (an example shows a setup worth copying)', () => {
    const warnings = built.flatMap((s) => s.node.findAll()).flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn');
    expect(warnings.map((m) => m.data)).toEqual([]);
  });

  it('synthesizes at least one stack with resources', () => {
    expect(stacks.length).toBeGreaterThan(0);
    for (const [, json] of stacks) expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(0);
  });

  it('refers only to what it declares', () => {
    for (const [, json] of stacks) expect(danglingReferences(json)).toEqual([]);
  });

  it('matches its snapshot', () => {
    for (const [id, json] of stacks) expect(forSnapshot(json)).toMatchSnapshot(id);
  });
});
