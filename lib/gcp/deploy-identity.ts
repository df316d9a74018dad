import { Construct } from 'constructs';
import {
  ArtifactRegistryRepositoryIamMember,
  IamWorkloadIdentityPool,
  IamWorkloadIdentityPoolProvider,
  ProjectIamMember,
  ServiceAccount,
  ServiceAccountIamMember,
} from '../providers/google';
import { boundedName } from '../naming';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ProblemCollector } from '../validation';

export interface GithubDeployIdentityProps {
  readonly project: string;
  /** Prefix of the pool and service account ids. */
  readonly namePrefix: string;
  /** The only repository allowed to deploy, as `owner/name`. */
  readonly repository: string;
  /**
   * The refs whose workflows may deploy (`*` only at the end).
   * @default DEFAULT_DEPLOY_REFS - the main branch and the `deployment-*` branches
   */
  readonly refs?: readonly string[];
  /** The Artifact Registry repository CI pushes to: `{ location, repositoryId }`, as references to the repository resource so the grant waits for it. */
  readonly registry: { readonly location: string; readonly repositoryId: string };
  /** Project roles the deploy account needs beyond pushing images (rolling the instance group, say). @default [] */
  readonly projectRoles?: readonly string[];
  /** Service accounts (emails) the deployer may act as: the servers', to replace their instances. @default [] */
  readonly actAs?: readonly string[];
}

/**
 * A keyless identity for GitHub Actions: a workload identity pool whose OIDC provider trusts GitHub's tokens
 * only from one repository, and a deploy service account that repository may impersonate, allowed to push to
 * the registry and what `projectRoles` add. No key is ever created.
 */
export class GithubDeployIdentity extends Construct {
  public readonly pool: IamWorkloadIdentityPool;
  public readonly provider: IamWorkloadIdentityPoolProvider;
  public readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GithubDeployIdentityProps) {
    super(scope, id);
    const problems = new ProblemCollector('props.');
    problems.check(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository), 'repository', props.repository, 'a GitHub repository as owner/name');
    const refs = props.refs ?? DEFAULT_DEPLOY_REFS;
    problems.check(refs.length > 0, 'refs', refs, 'at least one ref');
    refs.forEach((ref, i) => problems.check(DEPLOY_REF.test(ref), `refs[${i}]`, ref, 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)'));
    problems.throwIfAny(`GithubDeployIdentity "${this.node.path}"`);

    const poolId = boundedName(`${props.namePrefix}-github`, 32);
    this.pool = new IamWorkloadIdentityPool(this, 'Pool', {
      project: props.project,
      workloadIdentityPoolId: poolId,
      displayName: 'GitHub Actions',
      description: `Deploys from ${props.repository}`,
    });
    this.provider = new IamWorkloadIdentityPoolProvider(this, 'Provider', {
      project: props.project,
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: 'github',
      displayName: 'GitHub Actions OIDC',
      oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
      attributeMapping: {
        'google.subject': 'assertion.sub',
        'attribute.repository': 'assertion.repository',
        'attribute.ref': 'assertion.ref',
      },
      // Tokens from any other repository, or from a branch not allowed to deploy, are refused outright.
      attributeCondition: `assertion.repository == '${props.repository}' && (${refs.map(refCondition).join(' || ')})`,
    });
    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project: props.project,
      accountId: boundedName(`${props.namePrefix}-deploy`, 30),
      displayName: `Deploys from ${props.repository}`,
    });
    new ServiceAccountIamMember(this, 'GithubImpersonation', {
      serviceAccountId: this.serviceAccount.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `principalSet://iam.googleapis.com/${this.pool.name}/attribute.repository/${props.repository}`,
    });
    new ArtifactRegistryRepositoryIamMember(this, 'RegistryWriter', {
      project: props.project,
      location: props.registry.location,
      repository: props.registry.repositoryId,
      role: 'roles/artifactregistry.writer',
      member: this.serviceAccount.member,
    });
    (props.projectRoles ?? []).forEach((role) => {
      new ProjectIamMember(this, `Role-${role.replace(/^roles\//, '')}`, { project: props.project, role, member: this.serviceAccount.member });
    });
    (props.actAs ?? []).forEach((email, i) => {
      new ServiceAccountIamMember(this, `ActAs${i}`, {
        serviceAccountId: `projects/${props.project}/serviceAccounts/${email}`,
        role: 'roles/iam.serviceAccountUser',
        member: this.serviceAccount.member,
      });
    });
  }

  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/github`, for google-github-actions/auth. */
  get providerName(): string {
    return this.provider.name;
  }
}

/** A CEL test of `assertion.ref` for one ref pattern. */
function refCondition(ref: string): string {
  return ref.endsWith('*') ? `assertion.ref.startsWith('${ref.slice(0, -1)}')` : `assertion.ref == '${ref}'`;
}
