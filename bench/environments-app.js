// Bench app: N environments, each a full GCP server cluster (GcpServerCluster: network, instance group, Cloud
// SQL, buckets, secrets, load balancer, certificates, DNS; about 60 resources) in its own stack, to show how
// synth time grows with environments. Usage: node bench/environments-app.js N OUTDIR. Prints the in-process time.
'use strict';
const { App, TerraformStack } = require('cdktf');
const { GoogleProvider, gcp, serverpodProfile } = require('../dist/lib');
const { RandomProvider } = require('../dist/lib/providers/google');

// As the bundled app does (stacks/main.ts): no per-token stack traces.
require('cdktf/lib/tokens/private/stack-trace').captureStackTrace = () => [];

const count = Number(process.argv[2] || 1);
const outdir = process.argv[3];
const started = process.hrtime.bigint();
const app = new App({ outdir, stackTraces: false });
for (let i = 0; i < count; i++) {
  const stack = new TerraformStack(app, `env${i}`);
  new GoogleProvider(stack, 'google', { project: 'bench-project', region: 'us-central1' });
  new RandomProvider(stack, 'random');
  const registry = new gcp.ContainerRegistry(stack, 'registry', { project: 'bench-project', location: 'us-central1', repositoryId: `bench${i}-images` });
  new gcp.GcpServerCluster(stack, 'cluster', {
    project: 'bench-project',
    region: 'us-central1',
    namePrefix: `bench${i}`,
    domain: `env${i}.example.com`,
    profile: serverpodProfile(),
    registry,
    environments: { production: {} },
  });
}
app.synth();
process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e6}\n`);
