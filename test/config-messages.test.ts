import { parseConfig } from '../lib/config/load';

// How config errors read (issue 13): a likely meant key, what to add to an empty stacks:, where a YAML error is,
// and numbers accepted where users naturally write one.

function problemsOf(text: string): string {
  try {
    parseConfig(text, { source: 'deploy.yaml' });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
}

const GCP = 'stacks:\n  cluster-gcp: { project: my-project-1 }\n';

describe('unknown keys', () => {
  it.each([
    ['a typo at the top', `domain: example.com\nenvironmnts: [production]\n${GCP}`, 'environmnts: got ["production"]; expected no field of this name here; did you mean environments?'],
    ['another case and separator', `domain: example.com\nallow_unlisted: true\n${GCP}`, 'allow_unlisted: got true; expected no field of this name here; did you mean allowUnlisted?'],
    ['a typo deep in a stack', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpus: 2 } } }\n', 'stacks.serverless-gcp.sizes.production.cpus: got 2; expected no field of this name here; did you mean cpu?'],
    ['a misspelt stack name', 'domain: example.com\nstacks:\n  cluster-gpc: { project: my-project-1 }\n', 'stacks.cluster-gpc: got {"project":"my-project-1"}; expected no field of this name here; did you mean cluster-gcp?'],
  ])('suggests the known key for %s', (_name, text, line) => {
    expect(problemsOf(text)).toContain(`  - ${line}`);
  });

  it('reports a misspelt stack name alone, not also as stacks without a stack', () => {
    const message = problemsOf('domain: example.com\nstacks:\n  cluster-gpc: { project: my-project-1 }\n');
    expect(message).toMatch(/has 1 problem;/);
    expect(message).toContain('did you mean cluster-gcp?');
  });

  it('points to the docs when no known key is close', () => {
    const message = problemsOf(`domain: example.com\nredis_enabled: true\n${GCP}`);
    expect(message).toContain('redis_enabled: got true; expected no field of this name here; check the spelling against docs/config.md');
    expect(message).not.toContain('did you mean');
  });
});

describe('a config that enables no stack', () => {
  it('says what to add when stacks is empty', () => {
    expect(problemsOf('domain: example.com\nstacks: {}\n')).toContain(
      'stacks: got {}; expected at least one stack: cluster-gcp: { project: <gcp project> }, cluster-aws: {} or serverless-gcp: { project: <gcp project> }',
    );
  });

  it('says which stacks are off when every one has enabled: false', () => {
    expect(problemsOf('domain: example.com\nstacks:\n  cluster-aws: { enabled: false }\n  serverless-gcp: { enabled: false, project: my-project-1 }\n')).toContain(
      'expected at least one stack without enabled: false (cluster-aws, serverless-gcp are off)',
    );
  });
});

describe('YAML syntax errors', () => {
  it('name the file, line and column, once', () => {
    const message = problemsOf('domain: example.com\nstacks:\n  cluster-gcp: { project: [my-project-1 }\n');
    expect(message).toContain('  - deploy.yaml:3:41: expected valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])');
    expect(message).not.toContain('at line');
  });
});

describe('numbers where a number is natural', () => {
  it('reads a Cloud Run cpu written as a number', () => {
    const config = parseConfig('domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: 2, memory: 1Gi } } }\n');
    expect(config.stacks['serverless-gcp']?.sizes.production.cpu).toBe('2');
  });

  it('still refuses a cpu Cloud Run does not offer, or one of another type', () => {
    const sized = (cpu: string) => `domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: ${cpu} } } }\n`;
    expect(problemsOf(sized('3'))).toContain('stacks.serverless-gcp.sizes.production.cpu: got 3; expected one of "1", "2", "4", "8"');
    expect(problemsOf(sized('true'))).toContain('stacks.serverless-gcp.sizes.production.cpu: got true; expected one of 1, 2, 4, 8');
  });

  it('reads an unquoted AWS account id, and says to quote one that loses its leading 0', () => {
    expect(parseConfig('domain: example.com\nstacks:\n  cluster-aws: { accountId: 123456789012 }\n').stacks['cluster-aws']?.accountId).toBe('123456789012');
    expect(problemsOf('domain: example.com\nstacks:\n  cluster-aws: { accountId: 012345678901 }\n')).toContain(
      'stacks.cluster-aws.accountId: got 12345678901; expected a 12-digit AWS account id (in quotes if it starts with 0)',
    );
  });
});
