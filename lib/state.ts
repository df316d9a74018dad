import { GcsBackend, LocalBackend, S3Backend, TerraformStack } from 'cdktf';

/** Remote state settings, as in the config file's `state` section. */
export interface StateSettings {
  /** State in a GCS bucket, used by GCP stacks. @default - local state */
  readonly gcs?: { readonly bucket: string; readonly prefix: string };
  /** State in an S3 bucket, used by AWS stacks. @default - local state */
  readonly s3?: { readonly bucket: string; readonly region: string; readonly keyPrefix: string };
}

/**
 * Points a stack's state at its cloud's bucket when one is configured, else at a local file in the project
 * root. The local path is relative to the stack's working directory (`cdktf.out/stacks/<stack>`), so state
 * survives moving the checkout and synthesized JSON holds no machine paths.
 */
export function configureState(stack: TerraformStack, stackId: string, cloud: 'gcp' | 'aws', state: StateSettings): void {
  if (cloud === 'gcp' && state.gcs) {
    new GcsBackend(stack, { bucket: state.gcs.bucket, prefix: `${state.gcs.prefix}/${stackId}` });
  } else if (cloud === 'aws' && state.s3) {
    const backend = new S3Backend(stack, {
      bucket: state.s3.bucket,
      key: `${state.s3.keyPrefix}/${stackId}.tfstate`,
      region: state.s3.region,
      encrypt: true,
    });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's typed config predates the option.
    backend.addOverride('use_lockfile', true);
  } else {
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
  }
}
