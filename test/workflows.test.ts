import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { GitHubDeployRole } from '../lib/aws/github-deploy-role';
import { GithubDeployIdentity } from '../lib/gcp/deploy-identity';
import { DeployTrust, Glob, OidcTokens, attributeConditionTrust, covers, filterGlob, iamGlob, iamRoleTrust, literal, prefixGlob } from '../lib/github-subjects';
import { EXAMPLE_BUILDERS } from './example-list';
import { awsTestStack, gcpTestStack, only } from './helpers/assert';
import { StackJson, resourcesOfType, synthJson, testApp } from './helpers/synth';

const EXAMPLES = join(__dirname, '..', 'examples');

/**
 * The default branch. A manual run (workflow_dispatch) presents the ref it was dispatched from; the examples mean
 * manual runs to come from the default branch only, so the workflow is read as presenting main, and a dispatch
 * from any other branch is meant to be refused by the identity.
 */
const DEFAULT_BRANCH = 'refs/heads/main';

/**
 * Every example workflow, the example whose identity it authenticates against, the repository the example says
 * the workflow is copied into (its githubRepository / GitHubDeployRole repository), and how it builds the image:
 * `serverpod` from the repository root with the server folder's Dockerfile, `perseus` in the app's folder with
 * examples/perseus-cloud-run/Dockerfile.
 */
const WORKFLOWS = [
  { workflow: 'serverpod-gcp/deploy-gcp.yml', example: 'serverpod-gcp', repository: 'my-org/mypod', build: 'serverpod' },
  { workflow: 'serverless-gcp/deploy-serverless.yml', example: 'serverless-gcp', repository: 'my-org/pod', build: 'serverpod' },
  { workflow: 'serverpod-aws/deploy-aws.yml', example: 'serverpod-aws', repository: 'podcafe/podcafe', build: 'serverpod' },
  { workflow: 'perseus-cloud-run/deploy-cloud-run.yml', example: 'perseus-cloud-run', repository: 'my-org/blog', build: 'perseus' },
  { workflow: 'perseus-cluster-gcp/deploy-cluster.yml', example: 'perseus-cluster-gcp', repository: 'my-org/docs-site', build: 'perseus' },
] as const;

/** The Dockerfile the Perseus workflows build with, and its .dockerignore. */
const PERSEUS_DOCKERFILE = join(EXAMPLES, 'perseus-cloud-run', 'Dockerfile');
const PERSEUS_DOCKERIGNORE = join(EXAMPLES, 'perseus-cloud-run', '.dockerignore');

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; 'working-directory'?: string };
type Workflow = { on?: unknown; permissions?: unknown; jobs?: Record<string, { permissions?: unknown; environment?: unknown; uses?: string; steps?: Step[] }> };

/** Whether a permissions block (job or workflow level) lets the job request an OIDC token. */
function writesIdToken(permissions: unknown): boolean {
  if (permissions === 'write-all') return true;
  return typeof permissions === 'object' && permissions !== null && (permissions as Record<string, unknown>)['id-token'] === 'write';
}

/** The triggers of a workflow as `event → filter`, from any of the three forms `on:` takes. */
function triggers(on: unknown): Record<string, Record<string, unknown> | null> {
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((event: string) => [event, null]));
  if (typeof on === 'object' && on !== null) return on as Record<string, Record<string, unknown> | null>;
  throw new Error(`on: ${JSON.stringify(on)} is not a trigger list`);
}

/** The runs a workflow starts, each as the ref its token carries and its subject when no environment is used. */
function runsOf(workflow: Workflow, repository: string): { from: string; ref: Glob; sub: Glob }[] {
  return Object.entries(triggers(workflow.on)).flatMap(([event, filter]) => {
    switch (event) {
      case 'push': {
        for (const key of ['branches-ignore', 'tags-ignore']) if (filter?.[key]) throw new Error(`push.${key} is not evaluated; list the branches`);
        const branches = filter?.branches as string[] | undefined;
        const tags = filter?.tags as string[] | undefined;
        // Without either filter a push of any branch or tag runs the workflow.
        const refs: [string, string][] = [
          ...(branches ?? (tags ? [] : ['**'])).map((b): [string, string] => ['refs/heads/', b]),
          ...(tags ?? (branches ? [] : ['**'])).map((t): [string, string] => ['refs/tags/', t]),
        ];
        return refs.map(([kind, name]) => ({ from: `push to ${kind}${name}`, ref: filterGlob(kind, name), sub: filterGlob(`repo:${repository}:ref:${kind}`, name) }));
      }
      case 'workflow_dispatch': // see DEFAULT_BRANCH
      case 'schedule': // runs on the default branch
        return [{ from: event, ref: literal(DEFAULT_BRANCH), sub: literal(`repo:${repository}:ref:${DEFAULT_BRANCH}`) }];
      case 'pull_request':
        return [{ from: event, ref: filterGlob('refs/pull/', '*/merge'), sub: literal(`repo:${repository}:pull_request`) }];
      default:
        throw new Error(`trigger ${event} is not evaluated: say here which subjects it presents`);
    }
  });
}

/**
 * The OIDC tokens a workflow can present: one set a trigger for each job that may request a token (id-token:
 * write at job or workflow level; job permissions replace the workflow's). A job with an environment presents
 * `repo:<repo>:environment:<name>` in place of its ref (the ref claim stays). GitHub's default subject template
 * is assumed; job `if:` conditions are not read, so a job counts for every trigger.
 */
function workflowTokens(workflow: Workflow, repository: string): OidcTokens[] {
  const runs = runsOf(workflow, repository);
  return Object.entries(workflow.jobs ?? {}).flatMap(([id, job]) => {
    if (job.uses) throw new Error(`job ${id} calls a reusable workflow; its tokens are not evaluated`);
    if (!writesIdToken(job.permissions ?? workflow.permissions)) return [];
    const environment = typeof job.environment === 'object' && job.environment !== null ? (job.environment as { name?: unknown }).name : job.environment;
    if (environment !== undefined && (typeof environment !== 'string' || environment.includes('${{'))) {
      throw new Error(`job ${id}: environment ${JSON.stringify(environment)} is an expression or not a name, so the subject it presents is unknown; name the environment`);
    }
    return runs.map((run) => ({
      from: `job ${id}, ${run.from}`,
      repository,
      ref: run.ref,
      sub: environment === undefined ? run.sub : literal(`repo:${repository}:environment:${environment}`),
    }));
  });
}

/**
 * What is wrong between a workflow's tokens and an identity: a token it refuses, and a grant that no token
 * needs (the default branch aside, which may always deploy).
 */
function disagreements(tokens: readonly OidcTokens[], trust: DeployTrust, repository: string): string[] {
  const refused = tokens.filter((t) => !trust.allows(t)).map((t) => `${t.from}: presents ${t.sub.text} (ref ${t.ref.text}), which ${trust.name} refuses`);
  const main: OidcTokens = { from: 'the default branch', repository, ref: literal(DEFAULT_BRANCH), sub: literal(`repo:${repository}:ref:${DEFAULT_BRANCH}`) };
  const extra = trust.grants.filter((g) => ![...tokens, main].some((t) => g.neededBy(t))).map((g) => `${trust.name} trusts ${g.text}, which no job of the workflow presents`);
  return [...refused, ...extra];
}

/** The one GitHub identity of a synthesized stack: the web-identity IAM role, or the workload identity provider. */
function trustOf(json: StackJson): DeployTrust {
  const roles = resourcesOfType(json, 'aws_iam_role').filter((r) => String(r.assume_role_policy).includes('sts:AssumeRoleWithWebIdentity'));
  const providers = resourcesOfType(json, 'google_iam_workload_identity_pool_provider');
  if (roles.length + providers.length !== 1) throw new Error(`expected one GitHub deploy identity, found ${roles.length} roles and ${providers.length} providers`);
  return roles.length ? iamRoleTrust(roles[0].assume_role_policy) : attributeConditionTrust(providers[0].attribute_condition);
}

/** The one element of a list, or a failure naming what was sought. */
function single<T>(list: readonly T[], what: string): T {
  if (list.length !== 1) throw new Error(`expected one ${what}, found ${list.length}`);
  return list[0];
}

/**
 * What disagrees between GithubDeployIdentity's other parts and the workflow's google-github-actions/auth step:
 * the provider must map the claims the attribute condition tests and the impersonation binding reads
 * (`google.subject` from `sub`); the deploy account must be impersonable by exactly the principal set of this
 * pool whose mapped attribute holds the value the condition pins; the pool, provider and account the workflow
 * names must be these; and the provider keeps the default audience, the one the action asks for.
 */
function identityProblemsGcp(json: StackJson, repository: string, input: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const [[providerKey, provider]] = Object.entries<any>(json.resource.google_iam_workload_identity_pool_provider);
  const poolKey = /^\$\{google_iam_workload_identity_pool\.([^.]+)\.workload_identity_pool_id\}$/.exec(provider.workload_identity_pool_id)?.[1];
  const pool = json.resource.google_iam_workload_identity_pool?.[poolKey ?? ''];
  if (!pool) return [`provider ${providerKey} is not in a pool of the stack: ${provider.workload_identity_pool_id}`];
  const mapping: Record<string, string> = provider.attribute_mapping ?? {};
  const expected = { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.ref': 'assertion.ref' };
  if (JSON.stringify(Object.entries(mapping).sort()) !== JSON.stringify(Object.entries(expected).sort())) problems.push(`attribute_mapping is ${JSON.stringify(mapping)}`);
  for (const [, claim] of provider.attribute_condition.matchAll(/assertion\.(\w+)/g)) {
    if (!Object.values(mapping).includes(`assertion.${claim}`)) problems.push(`the attribute condition tests assertion.${claim}, which no attribute maps`);
  }
  if (provider.oidc?.issuer_uri !== 'https://token.actions.githubusercontent.com') problems.push(`the provider trusts issuer ${provider.oidc?.issuer_uri}`);
  if (provider.oidc?.allowed_audiences !== undefined || input('audience') !== undefined) problems.push('an audience other than the provider’s default, which google-github-actions/auth asks for');
  const deployer = single(Object.keys(json.resource.google_service_account).filter((name) => name.includes('GithubDeploy')), 'deploy service account');
  const impersonation = resourcesOfType(json, 'google_service_account_iam_member').filter((m) => m.role === 'roles/iam.workloadIdentityUser');
  if (impersonation.length !== 1) return [...problems, `${impersonation.length} workload identity bindings`];
  const [{ member, service_account_id: account }] = impersonation;
  if (account !== `\${google_service_account.${deployer}.name}`) problems.push(`the workload identity binding is on ${account}, not the deploy account`);
  const principal = /^principalSet:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.([^.]+)\.name\}\/attribute\.(\w+)\/(.+)$/.exec(member);
  if (!principal) return [...problems, `the workload identity binding lets in ${member}, not a principal set of an attribute of a pool of the stack`];
  const [, memberPool, attribute, value] = principal;
  if (memberPool !== poolKey) problems.push(`the workload identity binding lets in pool ${memberPool}, not the provider's ${poolKey}`);
  if (value !== repository) problems.push(`the workload identity binding lets in ${attribute} ${value}, not the repository ${repository}`);
  const claim = /^assertion\.(\w+)$/.exec(mapping[`attribute.${attribute}`] ?? '')?.[1];
  if (!claim || !provider.attribute_condition.includes(`assertion.${claim} == '${value}'`)) problems.push(`the binding's attribute.${attribute} (from ${mapping[`attribute.${attribute}`]}) is not pinned to ${value} by the attribute condition`);
  const named = /^projects\/\d+\/locations\/global\/workloadIdentityPools\/([^/]+)\/providers\/([^/]+)$/.exec(input('workload_identity_provider') ?? '');
  if (named?.[1] !== pool.workload_identity_pool_id || named?.[2] !== provider.workload_identity_pool_provider_id) problems.push(`the workflow names provider ${input('workload_identity_provider')}, not ${pool.workload_identity_pool_id}/${provider.workload_identity_pool_provider_id}`);
  const sa = json.resource.google_service_account[deployer];
  if (input('service_account') !== `${sa.account_id}@${sa.project}.iam.gserviceaccount.com`) problems.push(`the workflow impersonates ${input('service_account')}, not ${sa.account_id}@${sa.project}`);
  return problems;
}

/**
 * What disagrees between GitHubDeployRole's trust policy and the workflow's aws-actions/configure-aws-credentials
 * step: the federated principal must be GitHub's OIDC provider (the stack's, for the audience asked, or an
 * account's by ARN), and the `aud` condition the audience the action asks for (`sts.amazonaws.com` unless set).
 */
function identityProblemsAws(json: StackJson, input: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const role = single(resourcesOfType(json, 'aws_iam_role').filter((r) => String(r.assume_role_policy).includes('sts:AssumeRoleWithWebIdentity')), 'web-identity role');
  const statements: { Principal?: { Federated?: string }; Action: string | string[]; Condition?: Record<string, Record<string, unknown>> }[] = JSON.parse(role.assume_role_policy).Statement;
  const audience = input('audience') ?? 'sts.amazonaws.com';
  for (const s of statements.filter((st) => [st.Action].flat().includes('sts:AssumeRoleWithWebIdentity'))) {
    const federated = s.Principal?.Federated ?? '';
    const created = /^\$\{aws_iam_openid_connect_provider\.([^.]+)\.arn\}$/.exec(federated);
    if (created) {
      const provider = json.resource.aws_iam_openid_connect_provider?.[created[1]];
      if (provider?.url !== 'https://token.actions.githubusercontent.com' || !provider?.client_id_list?.includes(audience)) problems.push(`the role trusts OIDC provider ${created[1]}: ${JSON.stringify(provider)}`);
    } else if (!/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(federated)) {
      problems.push(`the role trusts ${JSON.stringify(s.Principal)}, not GitHub's OIDC provider`);
    }
    const aud = s.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud'];
    if (aud !== audience) problems.push(`the role's aud condition is ${JSON.stringify(aud)}, not ${audience}`);
  }
  return problems;
}

it('checks every workflow under examples/', () => {
  const files = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(EXAMPLES, d.name)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${d.name}/${f}`));
  expect(WORKFLOWS.map((w) => w.workflow).sort()).toEqual(files.sort());
});

describe.each(WORKFLOWS)('$workflow', ({ workflow: file, example, repository, build: layout }) => {
  const workflow: Workflow = parse(readFileSync(join(EXAMPLES, file), 'utf8'));

  it(`presents only tokens the ${example} identity accepts, and the identity trusts no more`, () => {
    const [stack] = EXAMPLE_BUILDERS[example](testApp());
    const tokens = workflowTokens(workflow, repository);
    expect(tokens.length).toBeGreaterThan(0);
    expect(disagreements(tokens, trustOf(synthJson(stack)), repository)).toEqual([]);
  });

  it(`authenticates with what the ${example} identity maps and trusts: claims, impersonating principal, OIDC provider and audience`, () => {
    const json = synthJson(EXAMPLE_BUILDERS[example](testApp())[0]);
    const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
    const env = (workflow as { env?: Record<string, string> }).env ?? {};
    /** A `with:` input of the one step using `action`, `${{ env.X }}` filled in. */
    const input = (action: string, name: string): string | undefined => {
      const step = single(steps.filter((st) => st.uses?.startsWith(`${action}@`)), action);
      const value = step.with?.[name] as string | undefined;
      return value?.replace(/^\$\{\{ env\.(\w+) \}\}$/, (_, v: string) => env[v]);
    };
    if (example.endsWith('aws')) expect(identityProblemsAws(json, (name) => input('aws-actions/configure-aws-credentials', name))).toEqual([]);
    else expect(identityProblemsGcp(json, repository, (name) => input('google-github-actions/auth', name))).toEqual([]);
  });

  it(`builds the image ${layout === 'serverpod' ? 'from the repository root with the server folder’s Dockerfile (Serverpod 3.4.9+)' : 'in the app’s folder with the Perseus Dockerfile'}`, () => {
    const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
    const builds = steps.filter((step) => step.uses?.startsWith('docker/build-push-action@') || step.run?.includes('docker build'));
    expect(builds).toHaveLength(1);
    const [build] = builds;
    expect(build['working-directory']).toBeUndefined();
    if (layout === 'perseus') {
      // The Dockerfile runs `perseus deploy` on its context, so the context is the app's folder, where the
      // Dockerfile and its .dockerignore are copied (the workflow's header says so).
      expect(build.run).toMatch(/^ *docker build -f "\$\{APP_DIR\}\/Dockerfile" .* "\$\{APP_DIR\}"$/m);
      expect((workflow as { env?: Record<string, string> }).env?.APP_DIR).toBe('.');
      expect(readFileSync(join(EXAMPLES, file), 'utf8')).toMatch(/Dockerfile and(\s|#)+(its(\s|#)+)?\.dockerignore/);
      expect(existsSync(PERSEUS_DOCKERFILE) && existsSync(PERSEUS_DOCKERIGNORE)).toBe(true);
    } else if (build.uses) expect(build.with).toMatchObject({ context: '.', file: '${{ vars.SERVER_DIR }}/Dockerfile' });
    else expect(build.run).toMatch(/^ *docker build -f "\$\{SERVER_DIR\}\/Dockerfile" .* \.$/m);
  });
});

/** Whether an IAM condition of GithubDeployIdentity's form (`resource.name == '…' || resource.name.startsWith('…')`) admits a resource. */
function conditionAdmits(expression: string, resourceName: string): boolean {
  return expression.split(' || ').some((term) => {
    const m = /^resource\.name (?:== '([^']*)'|\.startsWith\('([^']*)'\))$/.exec(term.replace(/^resource\.name\.startsWith/, 'resource.name .startsWith'));
    if (!m) throw new Error(`condition term ${term} is not evaluated`);
    return m[1] !== undefined ? resourceName === m[1] : resourceName.startsWith(m[2]);
  });
}

/** The permissions each grant of the deploy account gives, and the condition limiting it (none: the whole project). */
function deployGrants(json: StackJson): { permissions: string[]; condition?: string }[] {
  const sa = Object.keys(json.resource.google_service_account).filter((name) => name.includes('GithubDeploy'));
  expect(sa).toHaveLength(1);
  return resourcesOfType(json, 'google_project_iam_member')
    .filter((g) => g.member === `\${google_service_account.${sa[0]}.member}`)
    .map((g) => {
      const custom = /^\$\{google_project_iam_custom_role\.([^.]+)\.name\}$/.exec(g.role);
      // A predefined role is not evaluated: the deploy identity is meant to hold custom roles only.
      if (!custom) throw new Error(`the deploy account holds ${g.role} on the project; grant only the permissions its commands need`);
      return { permissions: json.resource.google_project_iam_custom_role[custom[1]].permissions, condition: g.condition?.expression };
    });
}

/** Every command a line, continuation lines joined, the workflow's variables filled in for the target; quotes dropped. */
function gcloudCommands(workflow: any, target: string): string[] {
  const env: Record<string, string> = workflow.env;
  const run = Object.values<{ steps: Step[] }>(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? '')).join('\n');
  return run
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('gcloud '))
    .map((line) => line.replace(/\$\{(\w+)\}/g, (_, name: string) => (name === 'TARGET' ? target : env[name] ?? `\${${name}}`)).replace(/"/g, ''));
}

describe.each([
  { file: 'serverpod-gcp/deploy-gcp.yml', example: 'serverpod-gcp', prefix: 'mypod' },
  { file: 'perseus-cluster-gcp/deploy-cluster.yml', example: 'perseus-cluster-gcp', prefix: 'docs' },
])('$file and what its identity may do', ({ file, example, prefix }) => {
  const workflow = parse(readFileSync(join(EXAMPLES, file), 'utf8'));
  const env: Record<string, string> = workflow.env;
  const targets: string[] = workflow.on.workflow_dispatch.inputs.target.options;
  const commands = (target: string) => gcloudCommands(workflow, target);
  const [stack] = EXAMPLE_BUILDERS[example](testApp());
  const grants = deployGrants(synthJson(stack));
  const allowed = (permission: string, resource: string) => grants.some((g) => g.permissions.includes(permission) && (g.condition === undefined || conditionAdmits(g.condition, resource)));

  /**
   * What each gcloud command of the workflow needs, as (permission, resource) pairs. `rolling-action replace`
   * gets the group and patches it (gcloud's rolling_action.CreateRequest; regionInstanceGroupManagers.patch needs
   * compute.instanceGroupManagers.get and .update on the group), then polls the patch's region operation.
   */
  function needs(command: string): [string, string][] {
    if (command.startsWith('gcloud auth configure-docker ')) return [];
    const roll = /^gcloud compute instance-groups managed rolling-action replace (\S+) --project (\S+) --region (\S+)(?: --max-unavailable \d+)?$/.exec(command);
    if (roll) {
      const [, group, project, region] = roll;
      const name = `projects/${project}/regions/${region}/instanceGroupManagers/${group}`;
      return [['compute.instanceGroupManagers.get', name], ['compute.instanceGroupManagers.update', name], ['compute.regionOperations.get', `projects/${project}/regions/${region}/operations/x`]];
    }
    throw new Error(`${command}: not evaluated; say here which permissions it needs`);
  }

  it.each(targets)('may run every command of a %s deploy', (target) => {
    const missing = commands(target).flatMap(needs).filter(([permission, resource]) => !allowed(permission, resource));
    expect(commands(target).some((c) => c.includes(`rolling-action replace ${prefix}-${target}-group`))).toBe(true);
    expect(missing).toEqual([]);
  });

  it('may change no other group, and holds nothing project-wide but reading operations', () => {
    const other = `projects/${env.PROJECT_ID}/regions/${env.REGION}/instanceGroupManagers/${prefix}-other-group`;
    expect(allowed('compute.instanceGroupManagers.update', other)).toBe(false);
    expect(allowed('compute.instanceGroupManagers.update', `projects/other-project/regions/${env.REGION}/instanceGroupManagers/${prefix}-production-group`)).toBe(false);
    expect(allowed('compute.instances.delete', `projects/${env.PROJECT_ID}/zones/${env.REGION}-b/instances/${prefix}-production-abcd`)).toBe(false);
    expect(grants.filter((g) => g.condition === undefined).flatMap((g) => g.permissions)).toEqual(['compute.regionOperations.get']);
  });

  it('reads conditions strictly', () => {
    expect(conditionAdmits("resource.name == 'a/b' || resource.name.startsWith('c/')", 'c/d')).toBe(true);
    expect(conditionAdmits("resource.name == 'a/b'", 'a/bc')).toBe(false);
    expect(() => conditionAdmits("resource.type == 'x'", 'a')).toThrow(/not evaluated/);
  });
});

describe('perseus-cloud-run/deploy-cloud-run.yml and what its identity may do', () => {
  const workflow = parse(readFileSync(join(EXAMPLES, 'perseus-cloud-run/deploy-cloud-run.yml'), 'utf8'));
  const targets: string[] = workflow.on.workflow_dispatch.inputs.target.options;
  const json = synthJson(EXAMPLE_BUILDERS['perseus-cloud-run'](testApp())[0]);
  const [deployer] = Object.keys(json.resource.google_service_account).filter((name) => name.includes('GithubDeploy'));
  const repository = only(json, 'google_artifact_registry_repository');

  it.each(targets)('deploys a new revision of the %s service, from the image it pushed to the stack’s registry', (target) => {
    const commands = gcloudCommands(workflow, target);
    const deploys = commands.filter((c) => c.startsWith('gcloud run deploy '));
    expect(deploys).toHaveLength(1);
    const m = /^gcloud run deploy (\S+) --image (\S+) --region (\S+) --project (\S+)$/.exec(deploys[0]);
    expect(m).not.toBeNull();
    const [, service, image, region, project] = m!;
    const [key, resource] = Object.entries<any>(json.resource.google_cloud_run_v2_service).find(([, r]) => r.name === service) ?? [];
    expect(resource).toMatchObject({ location: region, project });
    // Terraform leaves the image to this command: the service starts from a placeholder and ignores image changes.
    expect(resource.lifecycle.ignore_changes).toContain('template[0].containers[0].image');
    // The image the build pushed, in the stack's repository, named after the profile as the service expects.
    expect(image).toBe(`${repository.location}-docker.pkg.dev/${repository.project}/${repository.repository_id}/blog:\${GITHUB_SHA}`);
    expect(commands).toContain(`gcloud auth configure-docker ${repository.location}-docker.pkg.dev --quiet`);
    // Cloud Run Developer on that service alone, and acting as its runtime account.
    const developer = resourcesOfType(json, 'google_cloud_run_v2_service_iam_member').filter((g) => g.role === 'roles/run.developer' && g.member === `\${google_service_account.${deployer}.member}`);
    expect(developer.map((g) => g.name)).toEqual([`\${google_cloud_run_v2_service.${key}.name}`]);
    const actAs = resourcesOfType(json, 'google_service_account_iam_member').filter((g) => g.member === `\${google_service_account.${deployer}.member}`);
    expect(actAs).toEqual([expect.objectContaining({ role: 'roles/iam.serviceAccountUser', service_account_id: `projects/${project}/serviceAccounts/${resource.template.service_account}` })]);
  });

  it('holds no project-wide role: no migrations job, so no logs to read', () => {
    expect(resourcesOfType(json, 'google_project_iam_member').filter((g) => g.member === `\${google_service_account.${deployer}.member}`)).toEqual([]);
  });
});

describe('the Perseus Dockerfile (read, as no Docker engine runs here)', () => {
  const text = readFileSync(PERSEUS_DOCKERFILE, 'utf8');
  // Continuation lines joined, comments dropped; one instruction a line.
  const instructions = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));
  const stages = instructions.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all[all.length - 1].push(line), all)), []);

  it('has a build stage on a pinned Rust of 1.85 or later, building perseus-cli 0.4 from its lockfile', () => {
    expect(stages).toHaveLength(2);
    const [from] = stages[0];
    const pinned = /^FROM rust:1\.(\d+)\.\d+-slim-bookworm AS build$/.exec(from);
    expect(pinned).not.toBeNull();
    // Edition 2024 crates in a fresh Cargo.lock need Cargo 1.85.
    expect(Number(pinned![1])).toBeGreaterThanOrEqual(85);
    expect(stages[0]).toContain('ARG PERSEUS_VERSION=0.4.2');
    expect(stages[0]).toContain('RUN cargo install perseus-cli --version "${PERSEUS_VERSION}" --locked');
    expect(stages[0]).toContain('RUN rustup target add wasm32-unknown-unknown');
    expect(stages[0]).toContain('RUN perseus deploy');
  });

  it('runs pkg/ alone on the same Debian, with CA roots, and libssl3 exactly when the server links OpenSSL', () => {
    const run = stages[1];
    // bookworm on both sides: the libssl3 installed is the ABI libssl-dev of the build stage linked against.
    expect(run[0]).toBe('FROM debian:bookworm-slim');
    expect(run.find((l) => l.includes('apt-get install'))).toContain('ca-certificates');
    expect(stages[0]).toContain(`RUN if readelf -d pkg/server | grep -Eq 'NEEDED.*(libssl|libcrypto)\\.so'; then echo libssl3; fi > /runtime-packages`);
    expect(run).toContain('COPY --from=build /runtime-packages /tmp/runtime-packages');
    expect(run.some((l) => /if \[ -s \/tmp\/runtime-packages \]; then .*apt-get install -y --no-install-recommends \$\(cat \/tmp\/runtime-packages\)/.test(l))).toBe(true);
    expect(run).toContain('COPY --from=build /app/pkg/ /app/');
    expect(run).toContain('USER perseus');
    expect(run[run.length - 1]).toBe('CMD ["./server"]');
  });

  it('leaves earlier builds, history and local secrets out of the build context', () => {
    const ignored = readFileSync(PERSEUS_DOCKERIGNORE, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    for (const entry of ['target/', '.perseus/', 'pkg/', 'dist/', '.git', 'node_modules/', '.env']) expect(ignored).toContain(entry);
  });
});

describe('the check itself', () => {
  const repository = 'o/r';
  const workflow = (job: string) => parse(`on:\n  push:\n    branches: [deployment-aws-production]\n  workflow_dispatch: {}\npermissions:\n  id-token: write\njobs:\n  deploy:\n${job}`);
  const refs = (...branches: string[]) => branches.map((b) => `repo:${repository}:ref:refs/heads/${b}`);
  const roleTrust = (subjects?: string[]) => {
    const stack = awsTestStack();
    new GitHubDeployRole(stack, 'deploy', { name: 'deploy', repository, subjects, repositoryArn: 'arn:aws:ecr:us-west-2:123456789012:repository/r', autoScalingGroupArns: ['arn:aws:autoscaling:x'] });
    return trustOf(synthJson(stack));
  };

  it('reports a job with environment: production against a role that trusts only refs', () => {
    const tokens = workflowTokens(workflow('    environment: production\n    runs-on: ubuntu-latest\n'), repository);
    const trust = roleTrust(refs('main', 'deployment-aws-production'));
    expect(disagreements(tokens, trust, repository)).toEqual([
      "job deploy, push to refs/heads/deployment-aws-production: presents repo:o/r:environment:production (ref refs/heads/deployment-aws-production), which the IAM role's trust policy refuses",
      "job deploy, workflow_dispatch: presents repo:o/r:environment:production (ref refs/heads/main), which the IAM role's trust policy refuses",
      "the IAM role's trust policy trusts repo:o/r:ref:refs/heads/deployment-aws-production, which no job of the workflow presents",
    ]);
  });

  it('reports trust wider than the workflow needs: an environment no job uses, every deployment-* branch', () => {
    const tokens = workflowTokens(workflow('    runs-on: ubuntu-latest\n'), repository);
    const withEnvironment = roleTrust([...refs('main', 'deployment-aws-production'), `repo:${repository}:environment:production`]);
    expect(disagreements(tokens, withEnvironment, repository)).toEqual([
      "the IAM role's trust policy trusts repo:o/r:environment:production, which no job of the workflow presents",
    ]);
    expect(disagreements(tokens, roleTrust(undefined), repository)).toEqual([
      "the IAM role's trust policy trusts repo:o/r:ref:refs/heads/deployment-*, which no job of the workflow presents",
    ]);
  });

  it('on GCP an environment job still carries its ref, which is what the attribute condition tests', () => {
    const stack = gcpTestStack();
    new GithubDeployIdentity(stack, 'deploy', { project: 'p-123456', namePrefix: 'x', repository, refs: ['refs/heads/main', 'refs/heads/deployment-aws-production'], registry: { location: 'us', repositoryId: 'r' } });
    const trust = trustOf(synthJson(stack));
    expect(disagreements(workflowTokens(workflow('    environment: { name: production }\n'), repository), trust, repository)).toEqual([]);
    expect(workflowTokens(workflow('    runs-on: x\n'), 'o/other').filter((t) => trust.allows(t))).toEqual([]);
  });

  it('counts only jobs that may request a token, and fails loudly on what it cannot read', () => {
    const noToken = parse('on: push\npermissions: { contents: read }\njobs:\n  a: { runs-on: x }\n  b: { runs-on: x, permissions: { contents: read } }\n');
    expect(workflowTokens(noToken, repository)).toEqual([]);
    const jobLevel = parse('on: [push]\njobs:\n  a: { runs-on: x, permissions: { id-token: write } }\n');
    expect(workflowTokens(jobLevel, repository).map((t) => t.sub.text)).toEqual(['repo:o/r:ref:refs/heads/**', 'repo:o/r:ref:refs/tags/**']);
    expect(() => workflowTokens(workflow('    environment: ${{ inputs.target }}\n'), repository)).toThrow(/job deploy: environment "\$\{\{ inputs.target \}\}" is an expression/);
    expect(() => workflowTokens(parse('on: workflow_run\npermissions: write-all\njobs: { a: { runs-on: x } }\n'), repository)).toThrow(/trigger workflow_run is not evaluated/);
    expect(() => attributeConditionTrust("assertion.repository == 'o/r' && assertion.ref != 'x'")).toThrow(/not in GithubDeployIdentity's form/);
    const notLike = { Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringNotLike: {} } };
    expect(() => iamRoleTrust(JSON.stringify({ Statement: [notLike] }))).toThrow(/StringNotLike is not evaluated/);
  });

  it.each([
    // outer, inner, whether every string inner matches, outer matches too
    [iamGlob('repo:o/r:ref:refs/heads/deployment-*'), filterGlob('repo:o/r:ref:refs/heads/', 'deployment-aws-*'), true],
    [filterGlob('repo:o/r:ref:refs/heads/', 'deployment-aws-*'), iamGlob('repo:o/r:ref:refs/heads/deployment-*'), false],
    [filterGlob('refs/heads/', 'release/*'), literal('refs/heads/release/a/b'), false],
    [filterGlob('refs/heads/', 'release/**'), literal('refs/heads/release/a/b'), true],
    [filterGlob('refs/heads/', 'release/*'), iamGlob('refs/heads/release/?'), false],
    [iamGlob('refs/heads/v?'), literal('refs/heads/v1'), true],
    [iamGlob('refs/heads/v?'), literal('refs/heads/v12'), false],
    [prefixGlob('refs/heads/'), filterGlob('refs/heads/', '**'), true],
    [literal('refs/heads/main'), filterGlob('refs/heads/', 'mai*'), false],
  ])('covers(%#)', (outer, inner, expected) => {
    expect(covers(outer, inner)).toBe(expected);
  });
});
