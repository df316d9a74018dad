import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { ContainerRepository } from '../lib/aws/registry';
import { appProfileFromConfig } from '../lib/config/profile';
import { ClusterAwsConfig, DeployConfig } from '../lib/config/schema';
import { AwsProvider } from '../lib/providers/aws';
import { configureState } from '../lib/state';
import { commonLabels } from './common';

/** The server cluster on AWS: an Auto Scaling group behind an Application Load Balancer. */
export class ClusterAwsStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly repository: ContainerRepository;

  constructor(scope: Construct, id: string, config: DeployConfig, stack: ClusterAwsConfig) {
    super(scope, id);
    this.profile = appProfileFromConfig(config);
    new AwsProvider(this, 'aws', {
      region: stack.region,
      // Refuses to touch any other account when one is configured: a guard against a wrong profile.
      allowedAccountIds: stack.accountId ? [stack.accountId] : undefined,
      defaultTags: [{ tags: commonLabels(config, id) }],
    });
    configureState(this, id, 'aws', config.state);

    this.repository = new ContainerRepository(this, 'registry', { name: config.project });

    new TerraformOutput(this, 'ecr_repository_url', { value: this.repository.url, description: 'ECR repository that CI pushes the server image to' });
    for (const environment of config.environments) {
      new TerraformOutput(this, `image_${environment}`, { value: this.repository.imageUri(environment), description: `Image the ${environment} servers run` });
    }
  }
}
