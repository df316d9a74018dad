// Example: your own cdktf stack on AWS, describing your own server with an AppProfile and giving it an ECR
// repository from this library. In your project, import from 'cdktf-serverpod' instead of '../../lib'.
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AppProfile, AwsProvider, ContainerEnvironment, Guardrails, aws } from '../../lib';

/** A Node.js API on port 3000 with a /healthz endpoint, reading its settings from the environment. */
export const nodeApi = new AppProfile({
  name: 'orders-api',
  ports: [{ name: 'api', port: 3000, healthCheckPath: '/healthz' }],
  environment: { NODE_ENV: 'production' },
  usesDatabase: true,
  contextEnvironment: (ctx): ContainerEnvironment => {
    const db = ctx.database;
    if (!db) return { plain: { APP_ENV: ctx.runmode }, secrets: {} };
    return {
      plain: { APP_ENV: ctx.runmode, PGHOST: db.host, PGDATABASE: db.name ?? 'orders' },
      secrets: { PGPASSWORD: db.password },
    };
  },
});

export class CustomServerAwsStack extends TerraformStack {
  public readonly repository: aws.ContainerRepository;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    this.repository = new aws.ContainerRepository(this, 'images', { name: nodeApi.name, keepImages: 20, mutableTags: false });
    new TerraformOutput(this, 'repository_url', { value: this.repository.url });
    new TerraformOutput(this, 'health_check_path', { value: nodeApi.healthCheck.path });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new CustomServerAwsStack(app, 'custom-server-aws')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
