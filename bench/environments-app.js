// Bench app: N environments built from the library's constructs in one app (both clouds), to show how synth
// time grows with environments. Usage: node bench/environments-app.js N OUTDIR. Prints the in-process time.
'use strict';
const { App, TerraformStack } = require('cdktf');
const { AwsProvider, GoogleProvider, aws, gcp, serverpodProfile, hostName } = require('../dist/lib');

const count = Number(process.argv[2] || 1);
const outdir = process.argv[3];
const started = process.hrtime.bigint();
const app = new App({ outdir });
const googleStack = new TerraformStack(app, 'bench-gcp');
new GoogleProvider(googleStack, 'google', { project: 'bench-project', region: 'us-central1' });
const awsStack = new TerraformStack(app, 'bench-aws');
new AwsProvider(awsStack, 'aws', { region: 'us-west-2' });

for (let i = 0; i < count; i++) {
  const env = `env${i}`;
  const profile = serverpodProfile({ name: `bench${i}` });
  profile.containerEnvironment({
    runmode: env,
    role: 'monolith',
    serverId: 'bench',
    publicHosts: { api: hostName('example.com', 'api', 'staging') },
    database: { host: 'db', password: { secret: `${env}-db` } },
  });
  const apis = new gcp.ProjectServices(googleStack, `${env}-apis`, { project: 'bench-project', services: ['artifactregistry.googleapis.com'] });
  new gcp.ContainerRegistry(googleStack, `${env}-registry`, { project: 'bench-project', location: 'us-central1', repositoryId: `bench-${env}`, dependsOn: apis.all });
  new aws.ContainerRepository(awsStack, `${env}-registry`, { name: `bench-${env}` });
}
app.synth();
process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e6}\n`);
