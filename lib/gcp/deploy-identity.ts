import { Construct } from 'constructs';
import {
  ArtifactRegistryRepositoryIamMember,
  IamWorkloadIdentityPool,
  IamWorkloadIdentityPoolProvider,
  ProjectIamCustomRole,
  ProjectIamMember,
  ServiceAccount,
  ServiceAccountIamMember,
} from '../providers/google';
import { boundedName } from '../naming';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';

/** Props of `GithubDeployIdentity`. */
export interface GithubDeployIdentityProps {
  /** The GCP project id. */
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
  readonly registry: {
    /** The repository's location. */
    readonly location: string;
    /** The repository's id. */
    readonly repositoryId: string;
  };
  /**
   * Predefined roles granted on the whole project, with no condition. Prefer `grants` (only the permissions
   * the workflow uses, on only the resources it touches) or resource-level bindings of `serviceAccount.member`.
   * @default []
   */
  readonly projectRoles?: readonly string[];
  /**
   * Scoped grants: each a role, or exactly the permissions the deploy's commands need (a custom role of the
   * project), limited by an IAM condition to the resources named. See `DeployGrant`.
   * @default []
   */
  readonly grants?: readonly DeployGrant[];
  /** Service accounts (emails) the deployer may act as: the servers', to replace their instances. @default [] */
  readonly actAs?: readonly string[];
}

/**
 * What the deploy account may do beyond pushing images, and where. Granted on the project (custom roles and
 * IAM Conditions exist there for every service), narrowed to `resources` by a condition on `resource.name`.
 *
 * `resources` works only for resource types whose names IAM Conditions know (Compute Engine, Cloud SQL, Cloud
 * Storage, Secret Manager, ...: https://cloud.google.com/iam/docs/conditions-resource-attributes); for any other
 * type the condition never matches and the deploy is refused, never widened. Cloud Run is not among them: grant
 * on the service or job itself instead (`CloudRunV2ServiceIamMember` / `CloudRunV2JobIamMember` with
 * `roles/run.developer`, member `deployIdentity.serviceAccount.member`).
 *
 * @example
 * // Roll one managed instance group, nothing else in the project:
 * { id: 'rollGroups', title: 'Roll the servers', permissions: ['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update'],
 *   resources: ['projects/p/regions/us-central1/instanceGroupManagers/pod-production-group'] }
 */
export interface DeployGrant {
  /**
   * Names the grant: construct ids `Grant-<id>` (the binding) and `CustomRole-<id>` (with `permissions`), and
   * the custom role `<namePrefix>_deploy_<id>`. Letters, digits and underscores.
   */
  readonly id: string;
  /** Shown in the console (the custom role's and the condition's title), at most 100 characters. */
  readonly title: string;
  /**
   * A predefined or existing custom role (`roles/…`, `projects/…/roles/…`). Exactly one of `role` and `permissions`.
   * @default - none: `permissions` is given
   */
  readonly role?: string;
  /**
   * The permissions, as a custom role of the project holding nothing else. Exactly one of `role` and `permissions`.
   * @default - none: `role` is given
   */
  readonly permissions?: readonly string[];
  /**
   * Full resource names (`projects/<project>/regions/<region>/instanceGroupManagers/<name>`) the grant is
   * limited to; one ending in `*` matches every name it starts with. At most 12 (IAM allows 12 logical
   * operators in a condition).
   * @default - every resource in the project: only for what has no narrower resource (reading operations)
   */
  readonly resources?: readonly string[];
}

const GRANT_ID = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const PERMISSION = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+){2,}$/;
// Quotes and backslashes would end the CEL string; names never hold them.
const RESOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._~\/:@-]*\*?$/;

/**
 * A keyless identity for GitHub Actions: a workload identity pool whose OIDC provider trusts GitHub's tokens
 * only from one repository, and a deploy service account that repository may impersonate, allowed to push to
 * the registry and what `grants` (scoped) and `projectRoles` (project-wide) add. No key is ever created.
 *
 * Scope what the deploy may do with `grants` rather than `projectRoles`: the workflow's commands need a handful
 * of permissions on a few named resources, not a predefined role over the whole project. The cluster's
 * (`GcpServerCluster`): `compute.instanceGroupManagers.get`/`update` and `compute.instanceTemplates.useReadOnly`
 * on its groups and templates, plus reading Compute operations, which `gcloud` polls.
 */
export class GithubDeployIdentity extends Construct {
  /** The workload identity pool. */
  public readonly pool: IamWorkloadIdentityPool;
  /** Its OIDC provider, trusting GitHub's tokens from the one repository and its refs. */
  public readonly provider: IamWorkloadIdentityPoolProvider;
  /** The deploy service account the workflow impersonates. */
  public readonly serviceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GithubDeployIdentityProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository), 'repository', props.repository, 'a GitHub repository as owner/name');
    const refs = props.refs ?? DEFAULT_DEPLOY_REFS;
    problems.check(refs.length > 0, 'refs', refs, 'at least one ref');
    refs.forEach((ref, i) => problems.check(DEPLOY_REF.test(ref), `refs[${i}]`, ref, 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)'));
    const grants = props.grants ?? [];
    grants.forEach((g, i) => {
      const field = `grants[${i}]`;
      problems.check(GRANT_ID.test(g.id) && grants.findIndex((o) => o.id === g.id) === i, `${field}.id`, g.id, 'letters, digits and underscores, starting with a letter, at most 32, unique among the grants');
      problems.check(g.title.length > 0 && g.title.length <= 100, `${field}.title`, g.title, '1 to 100 characters');
      problems.check((g.role === undefined) !== (g.permissions === undefined), field, Object.keys(g), 'exactly one of role and permissions');
      if (g.permissions) problems.check(g.permissions.length > 0 && g.permissions.every((p) => PERMISSION.test(p)), `${field}.permissions`, g.permissions, 'at least one IAM permission such as compute.instanceGroupManagers.update');
      if (g.resources) {
        problems.check(g.resources.length >= 1 && g.resources.length <= 12, `${field}.resources`, g.resources.length, '1 to 12 resource names (omit it for the whole project)');
        g.resources.forEach((r, j) => problems.check(RESOURCE_NAME.test(r), `${field}.resources[${j}]`, r, 'a full resource name such as projects/p/zones/z/instanceGroupManagers/g (* only at the end)'));
      }
    });
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
    for (const grant of grants) {
      const role =
        grant.role ??
        new ProjectIamCustomRole(this, `CustomRole-${grant.id}`, {
          project: props.project,
          // Role ids take letters, digits, _ and . (3 to 64).
          roleId: boundedName(`${props.namePrefix}_deploy_${grant.id}`.replace(/[^A-Za-z0-9_]/g, '_'), 64).replace(/-/g, '_'),
          title: grant.title,
          description: `Deploys from ${props.repository}`,
          permissions: [...grant.permissions!].sort(),
        }).name;
      new ProjectIamMember(this, `Grant-${grant.id}`, {
        project: props.project,
        role,
        member: this.serviceAccount.member,
        condition: grant.resources ? { title: grant.title, description: 'Only the resources the deploy touches', expression: resourceCondition(grant.resources) } : undefined,
      });
    }
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

/** A CEL test of `resource.name` matching any of the names (`*` at the end: by prefix). */
export function resourceCondition(names: readonly string[]): string {
  return names.map((n) => (n.endsWith('*') ? `resource.name.startsWith('${n.slice(0, -1)}')` : `resource.name == '${n}'`)).join(' || ');
}

/** A CEL test of `assertion.ref` for one ref pattern. */
function refCondition(ref: string): string {
  return ref.endsWith('*') ? `assertion.ref.startsWith('${ref.slice(0, -1)}')` : `assertion.ref == '${ref}'`;
}
