// The only module that imports @cdktf/provider-aws. Submodule paths only: the package root loads all
// ~2,200 resource namespaces (seconds and ~1 GB per process); see docs/architecture.md.
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
export { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
