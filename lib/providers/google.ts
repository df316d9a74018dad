// The only module that imports @cdktf/provider-google. Submodule paths only: the package root loads every
// resource namespace (seconds and hundreds of MB per process); see docs/architecture.md.
export { GoogleProvider } from '@cdktf/provider-google/lib/provider';
export type { GoogleProviderConfig } from '@cdktf/provider-google/lib/provider';
export { ProjectService } from '@cdktf/provider-google/lib/project-service';
export { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
