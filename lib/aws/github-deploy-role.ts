import { Construct } from 'constructs';
import { IamOpenidConnectProvider, IamRole, IamRolePolicy } from '../providers/aws';
import { DEFAULT_DEPLOY_REFS } from '../github';
import { ProblemCollector } from '../validation';
import { PolicyStatement, fitName, policyDocument } from './common';
import { literalStrings } from '../terraform-strings';

/** The issuer host of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Props of `GitHubDeployRole`. */
export interface GitHubDeployRoleProps {
  /** Role name (at most 64 characters; shortened with a hash if longer). */
  readonly name: string;
  /** The one repository allowed to assume the role, as `owner/name`. */
  readonly repository: string;
  /**
   * ARN of the account's existing GitHub OIDC provider (an account has at most one per URL).
   * @default - a new `aws_iam_openid_connect_provider` for token.actions.githubusercontent.com
   */
  readonly oidcProviderArn?: string;
  /**
   * Token subjects allowed, as `StringLike` patterns, such as a GitHub environment
   * (`repo:owner/name:environment:production`).
   * @default - `repo:<repository>:ref:<ref>` for each of DEFAULT_DEPLOY_REFS: the main branch and the deployment-* branches
   */
  readonly subjects?: readonly string[];
  /** ARN of the ECR repository the workflow pushes to. */
  readonly repositoryArn: string;
  /** ARNs of the Auto Scaling groups the workflow may refresh. */
  readonly autoScalingGroupArns: readonly string[];
}

/**
 * The role GitHub Actions assumes through OIDC (no stored access keys): push images to one ECR repository and
 * start instance refreshes on the stack's Auto Scaling groups, for one repository only.
 */
export class GitHubDeployRole extends Construct {
  /** The OIDC provider created here; undefined when `oidcProviderArn` names the account's. */
  public readonly oidcProvider?: IamOpenidConnectProvider;
  /** The OIDC provider's ARN (created or given). */
  public readonly oidcProviderArn: string;
  /** The role the workflow assumes. */
  public readonly role: IamRole;
  /** Its inline policy. */
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: GitHubDeployRoleProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(props.repository), 'repository', props.repository, 'a GitHub repository as owner/name');
    if (props.oidcProviderArn !== undefined) {
      problems.check(/^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(props.oidcProviderArn), 'oidcProviderArn', props.oidcProviderArn, `the ARN of an IAM OIDC provider for ${GITHUB_OIDC_HOST}`);
    }
    (props.subjects ?? []).forEach((s, i) => problems.check(s.startsWith(`repo:${props.repository}:`), `subjects[${i}]`, s, `a subject of the repository, starting with repo:${props.repository}:`));
    problems.check(props.autoScalingGroupArns.length > 0, 'autoScalingGroupArns', props.autoScalingGroupArns, 'at least one Auto Scaling group');
    problems.throwIfAny(`GitHubDeployRole "${this.node.path}"`);

    if (props.oidcProviderArn) {
      this.oidcProviderArn = props.oidcProviderArn;
    } else {
      // IAM trusts GitHub's certificate authority itself; the thumbprint is no longer checked, so none is pinned.
      this.oidcProvider = new IamOpenidConnectProvider(this, 'OidcProvider', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] });
      this.oidcProviderArn = this.oidcProvider.arn;
    }
    const subjects = props.subjects ?? DEFAULT_DEPLOY_REFS.map((ref) => `repo:${props.repository}:ref:${ref}`);
    this.role = new IamRole(this, 'Resource', {
      name: fitName(props.name, 64),
      description: `GitHub Actions of ${props.repository}: push the server image and roll the servers`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        {
          Effect: 'Allow',
          Principal: { Federated: this.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
          },
        },
      ]),
    });
    const statements: PolicyStatement[] = [
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'EcrPush',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
          'ecr:DescribeImages',
        ],
        Resource: props.repositoryArn,
      },
      { Sid: 'Refresh', Effect: 'Allow', Action: ['autoscaling:StartInstanceRefresh', 'autoscaling:CancelInstanceRefresh'], Resource: [...props.autoScalingGroupArns] },
      // Describe calls support no resource-level permissions.
      { Sid: 'Describe', Effect: 'Allow', Action: ['autoscaling:DescribeInstanceRefreshes', 'autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
    ];
    this.policy = new IamRolePolicy(this, 'Policy', { name: 'deploy', role: this.role.id, policy: policyDocument(statements) });
  }

  /** The role's ARN, for the workflow's `role-to-assume`. */
  get roleArn(): string {
    return this.role.arn;
  }
}
