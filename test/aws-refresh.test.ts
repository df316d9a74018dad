import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { aws, serverpodProfile } from '../lib';
import { FULL_AWS_CONFIG } from './fixtures';
import { awsTestStack, only } from './helpers/assert';
import { shellQuote } from '../lib/app/boot-script';
import { Resolve, fakeReference, renderTemplate } from './helpers/boot';
import { StackJson, resourcesOfType, synthBundled, synthJson } from './helpers/synth';

// cluster-aws with `egress: vpc-endpoints`, a database, production 2..6 and staging 1/1 (test/fixtures.ts).
const json = synthBundled(FULL_AWS_CONFIG).stacks['cluster-aws'];
const REGION = 'eu-central-1';

/** Terraform's values for the user data's references: names of the stack's resources, fakes for the rest. */
const resolve: Resolve = (ref) => {
  const named = /^(aws_[a-z0-9_]+)\.([^.]+)\.name$/.exec(ref);
  const name = named && json.resource?.[named[1]]?.[named[2]]?.name;
  return typeof name === 'string' ? name : fakeReference(ref);
};

/** The user data of an environment's servers, as Terraform renders the template. */
function userData(environment: 'production' | 'staging'): string {
  const entry = Object.entries<string>(json.locals).find(([k]) => k.startsWith(`${environment}_Servers_UserData`));
  if (!entry) throw new Error(`no user data for ${environment}`);
  return renderTemplate(entry[1], resolve);
}

/** The text of a heredoc the boot script writes (`cat > <path> <<'<end>'` … `<end>`). */
function heredoc(script: string, path: string, end: string): string {
  const lines = script.split('\n');
  const start = lines.indexOf(`cat > ${path} <<'${end}'`);
  if (start < 0) throw new Error(`the boot script writes no ${path}`);
  return lines.slice(start + 1, lines.indexOf(end, start + 1)).join('\n');
}

/** The services of every `aws <service> <operation>` call in a script (comments left out). */
function cliServices(script: string): string[] {
  const code = script
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  return [...new Set([...code.matchAll(/(?:^|[\s;&|({!"])aws\s+([a-z0-9-]+)\s+[a-z]/gm)].map((m) => m[1]))].sort();
}

describe('VPC endpoints (egress: vpc-endpoints)', () => {
  const endpoints = resourcesOfType(json, 'aws_vpc_endpoint')
    .map((e) => String(e.service_name).replace(`com.amazonaws.${REGION}.`, ''))
    .sort();
  // The AWS CLI names ECR's API `ecr`; its endpoint is `ecr.api`.
  const endpointOf = (service: string) => (service === 'ecr' ? 'ecr.api' : service);
  // What the servers reach without the AWS CLI, each with its caller.
  const OTHER_CALLERS: Record<string, string> = {
    'ecr.dkr': 'docker pull',
    s3: "docker pull (ECR's layers), dnf (Amazon Linux repositories)",
    logs: "Docker's awslogs driver",
    ssm: 'the SSM agent',
    ssmmessages: 'the SSM agent (Session Manager)',
    ec2messages: 'the SSM agent',
  };

  it.each(['production', 'staging'] as const)('are exactly what the %s servers call', (environment) => {
    const called = cliServices(userData(environment)).map(endpointOf);
    // The boot script, its watches and the failure reporter: a new call without an endpoint fails here.
    expect(called).toEqual(['autoscaling', 'ecr.api', 'logs', 'secretsmanager']);
    expect(called.filter((s) => !endpoints.includes(s))).toEqual([]);
    expect(endpoints).toEqual([...new Set([...called, ...Object.keys(OTHER_CALLERS)])].sort());
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Failures reach CloudWatch Logs: the reporter script, run with aws, curl and logger stubbed.
// ---------------------------------------------------------------------------------------------------------------

const INSTANCE = 'i-0abc123def4567890';
/** The container's name: the project's. */
const NAME = 'podshop';
const REPORT = `/usr/local/bin/${NAME}-report`;

interface Stubbed {
  readonly dir: string;
  /** The arguments of each aws call, in order. */
  readonly awsCalls: () => string[][];
}

/**
 * A temp dir with stubs first on PATH: aws records each call's arguments (NUL-separated, so line breaks survive)
 * and fails for the operations `awsFails` matches; curl answers IMDSv2; logger records; cloud-init's copy of the
 * instance id is there unless `instanceId` is false.
 */
function stubs(options: { awsFails?: RegExp; awsOutput?: string; instanceId?: boolean } = {}): Stubbed {
  const dir = mkdtempSync(join(tmpdir(), 'aws-refresh-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'calls'));
  const fails = options.awsFails ? options.awsFails.source : '^$';
  writeFileSync(
    join(bin, 'aws'),
    [
      '#!/bin/bash',
      `n=$(ls ${dir}/calls | wc -l); printf '%s\\0' "$@" > ${dir}/calls/$(printf %03d "$n")`,
      `re=${shellQuote(fails)}`,
      `if [[ "$1 $2" =~ $re ]]; then echo ${shellQuote(options.awsOutput ?? 'An error occurred (AccessDenied)')} >&2; exit 254; fi`,
      'case "$1 $2" in "secretsmanager get-secret-value") echo v2 ;; esac',
    ].join('\n'),
    { mode: 0o755 },
  );
  writeFileSync(join(bin, 'curl'), `#!/bin/bash\ncase "$*" in *api/token*) printf tok ;; *instance-id*) printf ${INSTANCE} ;; *) exit 22 ;; esac\n`, { mode: 0o755 });
  if (options.instanceId ?? true) writeFileSync(join(dir, 'instance-id'), `${INSTANCE}\n`);
  writeFileSync(join(bin, 'logger'), `#!/bin/bash\nprintf '%s\\0' "$@" >> ${dir}/journal\n`, { mode: 0o755 });
  const awsCalls = () =>
    readdirSync(join(dir, 'calls'))
      .sort()
      .map((f) => readFileSync(join(dir, 'calls', f), 'utf8').split('\0').slice(0, -1));
  return { dir, awsCalls };
}

/** Writes the production reporter into the stub dir and returns its path. */
function reporter(s: Stubbed): string {
  const path = join(s.dir, 'report');
  writeFileSync(path, heredoc(userData('production'), REPORT, 'REPORT').split('/var/lib/cloud/data/instance-id').join(join(s.dir, 'instance-id')), { mode: 0o755 });
  return path;
}

function run(s: Stubbed, args: string[]) {
  return spawnSync('bash', args, { cwd: s.dir, encoding: 'utf8', env: { PATH: `${join(s.dir, 'bin')}:${process.env.PATH}`, HOME: s.dir } });
}

/** The one event the reporter put, with the stream it went to. */
function putEvent(calls: string[][]): { args: string[]; events: { timestamp: number; message: string }[] } {
  const puts = calls.filter((c) => c[0] === 'logs' && c[1] === 'put-log-events');
  expect(puts).toHaveLength(1);
  const args = puts[0];
  return { args, events: JSON.parse(args[args.indexOf('--log-events') + 1]) };
}

const logGroup = () => json.resource.aws_cloudwatch_log_group[Object.keys(json.resource.aws_cloudwatch_log_group).find((k) => k.startsWith('production_'))!];

describe('the host failure reporter', () => {
  it('writes an event to host/<instance id> in the environment\'s log group, creating the stream first', () => {
    const s = stubs();
    const result = run(s, [reporter(s), 'the server is not alive']);
    expect(result.status).toBe(0);
    const target = ['--region', REGION, '--log-group-name', '/podshop/production/server', '--log-stream-name', `host/${INSTANCE}`];
    expect(logGroup().name).toBe('/podshop/production/server');
    const calls = s.awsCalls();
    expect(calls.map((c) => c.slice(0, 2).join(' '))).toEqual(['logs create-log-stream', 'logs put-log-events']);
    expect(calls[0]).toEqual(expect.arrayContaining(target));
    const { args, events } = putEvent(calls);
    expect(args).toEqual(expect.arrayContaining(target));
    expect(events).toEqual([{ timestamp: expect.any(Number), message: 'the server is not alive' }]);
    expect(Math.abs(events[0].timestamp - Date.now())).toBeLessThan(60_000);
    // The journal keeps it too.
    expect(readFileSync(join(s.dir, 'journal'), 'utf8').split('\0')).toContain('the server is not alive');
  });

  it('carries a hostile message byte for byte and runs none of it', () => {
    const s = stubs();
    const marker = join(s.dir, 'ran');
    const message = `it's "quoted" $(touch ${marker}) \`touch ${marker}\` \${HOME} %{ if } \\n\nsecond line\n\tzoë ✓ '; touch ${marker}; '`;
    expect(run(s, [reporter(s), message]).status).toBe(0);
    expect(putEvent(s.awsCalls()).events.map((e) => e.message)).toEqual([message]);
    expect(existsSync(marker)).toBe(false);
  });

  it('replaces bytes that are not UTF-8 (a log line cut mid-character), which CloudWatch would refuse', () => {
    const s = stubs();
    // A message file with a lone continuation byte and a cut three-byte character, passed as the argument.
    writeFileSync(join(s.dir, 'bad'), Buffer.from([0x6f, 0x6b, 0x20, 0x80, 0x20, 0xe2, 0x9c]));
    expect(run(s, ['-c', `${reporter(s)} "$(cat bad)"`]).status).toBe(0);
    expect(putEvent(s.awsCalls()).events.map((e) => e.message)).toEqual(['ok \ufffd \ufffd']);
  });

  it('never fails its caller: CloudWatch refusing, or no instance id', () => {
    const refused = stubs({ awsFails: /^logs / });
    expect(run(refused, [reporter(refused), 'x']).status).toBe(0);
    expect(refused.awsCalls().map((c) => c[1])).toEqual(['create-log-stream', 'put-log-events']);
    const noImds = stubs({ instanceId: false });
    expect(run(noImds, [reporter(noImds), 'x']).status).toBe(0);
    expect(putEvent(noImds.awsCalls()).args).toEqual(expect.arrayContaining(['--log-stream-name', 'host/unknown']));
  });
});

describe('failures an operator needs go through the reporter', () => {
  const script = userData('production');

  /** A piece of the boot script with the reporter's path moved into the stub dir. */
  function piece(s: Stubbed, text: string): string {
    reporter(s);
    return text.split(REPORT).join(join(s.dir, 'report')).split(`/var/lib/${NAME}/`).join(`${s.dir}/`);
  }

  it('the rotation watch, when the group refuses a refresh', () => {
    const s = stubs({ awsFails: /^autoscaling start-instance-refresh$/, awsOutput: 'An error occurred (AccessDenied) when calling StartInstanceRefresh' });
    writeFileSync(join(s.dir, 'watched-secret-version'), 'v1\n');
    const watch = join(s.dir, 'watch');
    writeFileSync(watch, piece(s, heredoc(script, `/usr/local/bin/${NAME}-rotation-watch`, 'WATCH')));
    expect(run(s, [watch]).status).not.toBe(0);
    const { events } = putEvent(s.awsCalls());
    expect(events[0].message).toMatch(/^could not start an instance refresh after the database password rotated: .*AccessDenied/);
  });

  it('the rotation watch, run first by the boot script, records the version the server booted with', () => {
    const s = stubs();
    const watch = join(s.dir, 'watch');
    writeFileSync(watch, piece(s, heredoc(script, `/usr/local/bin/${NAME}-rotation-watch`, 'WATCH')));
    // Run once at boot, not fatal: the container already runs, and the timer records the version if this failed.
    expect(script).toMatch(new RegExp(`\nchmod 755 /usr/local/bin/${NAME}-rotation-watch\n/usr/local/bin/${NAME}-rotation-watch \\|\\| true\n`));
    expect(run(s, [watch]).status).toBe(0);
    expect(readFileSync(join(s.dir, 'watched-secret-version'), 'utf8')).toBe('v2\n');
    expect(run(s, [watch]).status).toBe(0);
    expect(s.awsCalls().map((c) => c.slice(0, 2).join(' '))).toEqual(['secretsmanager get-secret-value', 'secretsmanager get-secret-value']);
  });

  it('the rotation watch, when it cannot read the password\'s version', () => {
    const s = stubs({ awsFails: /^secretsmanager get-secret-value$/ });
    writeFileSync(join(s.dir, 'watched-secret-version'), 'v1\n');
    const watch = join(s.dir, 'watch');
    writeFileSync(watch, piece(s, heredoc(script, `/usr/local/bin/${NAME}-rotation-watch`, 'WATCH')));
    expect(run(s, [watch]).status).not.toBe(0);
    expect(putEvent(s.awsCalls()).events[0].message).toMatch(/^rotation watch: cannot read the database password's version: .*AccessDenied/);
  });

  it('the liveness watch, when Auto Scaling refuses to mark the instance', () => {
    const s = stubs({ awsFails: /^autoscaling set-instance-health$/ });
    // Two probes past the grace period, then stop: sleep fails on the third.
    writeFileSync(join(s.dir, 'bin', 'sleep'), `#!/bin/bash\nn=$(cat ${s.dir}/ticks 2>/dev/null || echo 0); [ "$n" -ge 2 ] && exit 1; echo $((n + 1)) > ${s.dir}/ticks\n`, { mode: 0o755 });
    writeFileSync(join(s.dir, 'uptime'), '100000.0 0.0\n');
    const watch = join(s.dir, 'watch');
    writeFileSync(watch, piece(s, heredoc(script, `/usr/local/bin/${NAME}-liveness`, 'WATCH')).replace(/\/proc\/uptime/g, `${s.dir}/uptime`));
    run(s, [watch]);
    const messages = s.awsCalls()
      .filter((c) => c[1] === 'put-log-events')
      .map((c) => JSON.parse(c[c.indexOf('--log-events') + 1])[0].message);
    expect(messages).toEqual(Array(2).fill(`port 8080 not alive; marking ${INSTANCE} unhealthy failed, retrying: An error occurred (AccessDenied)`));
  });

  it('the liveness watch reports the instance it marked, once', () => {
    const s = stubs();
    writeFileSync(join(s.dir, 'bin', 'sleep'), `#!/bin/bash\nn=$(cat ${s.dir}/ticks 2>/dev/null || echo 0); [ "$n" -ge 3 ] && exit 1; echo $((n + 1)) > ${s.dir}/ticks\n`, { mode: 0o755 });
    writeFileSync(join(s.dir, 'uptime'), '100000.0 0.0\n');
    const watch = join(s.dir, 'watch');
    writeFileSync(watch, piece(s, heredoc(script, `/usr/local/bin/${NAME}-liveness`, 'WATCH')).replace(/\/proc\/uptime/g, `${s.dir}/uptime`));
    run(s, [watch]);
    const calls = s.awsCalls();
    expect(calls.filter((c) => c[1] === 'set-instance-health')).toHaveLength(3);
    expect(putEvent(calls).events[0].message).toBe(`port 8080 not alive (answered before: 0, failed probes: 1): marked ${INSTANCE} unhealthy`);
  });

  it('the boot script, when a command stops it', () => {
    const s = stubs();
    const trap = script.split('\n').find((l) => l.startsWith('trap '))!;
    expect(run(s, ['-c', `set -euo pipefail\n${piece(s, trap)}\ntrue\nfalse\necho never`]).status).not.toBe(0);
    expect(putEvent(s.awsCalls()).events[0].message).toMatch(/^boot stopped \(exit 1\) at line 4: false; /);
  });

  /** The launch readiness loop, run from `uptime` seconds with every readiness check answering. */
  function launch(s: Stubbed, uptime: number): string[] {
    const lines = script.split('\n');
    const start = lines.findIndex((l) => l.startsWith('# In service only once ready'));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('[ "$out" = ok ]'));
    // Time passes only by sleeping: each sleep moves the uptime on.
    writeFileSync(join(s.dir, 'bin', 'sleep'), `#!/bin/bash\necho $(( $(cut -d. -f1 ${s.dir}/uptime) + $1 )).0 > ${s.dir}/uptime\n`, { mode: 0o755 });
    writeFileSync(join(s.dir, 'bin', 'curl'), `#!/bin/bash\ncase "$*" in *api/token*) printf tok ;; *instance-id*) printf ${INSTANCE} ;; *) printf 200 ;; esac\n`, { mode: 0o755 });
    writeFileSync(join(s.dir, 'uptime'), `${uptime}.0 0.0\n`);
    const loop = piece(s, lines.slice(start, end + 1).join('\n')).replace(/\/proc\/uptime/g, `${s.dir}/uptime`);
    expect(run(s, ['-c', `set -euo pipefail\n${loop}`]).status).toBe(0);
    return s.awsCalls()
      .filter((c) => c[1] === 'put-log-events')
      .map((c) => JSON.parse(c[c.indexOf('--log-events') + 1])[0].message);
  }

  it('the launch, when the boot outlasted the grace period: the hook abandons the instance', () => {
    expect(launch(stubs(), 100000)).toEqual(['not in service 300s after boot, the launch hook abandons this instance: the server is not ready']);
  });

  it('the launch, when Auto Scaling refuses to complete the hook', () => {
    const messages = launch(stubs({ awsFails: /^autoscaling complete-lifecycle-action$/ }), 280);
    // Tried at 280 and 290 s; the last refusal is reported.
    expect(messages).toEqual(['not in service 300s after boot, the launch hook abandons this instance: An error occurred (AccessDenied)']);
  });

  it('the launch, ready and in service: nothing to report', () => {
    const s = stubs();
    expect(launch(s, 60)).toEqual([]);
    expect(s.awsCalls().map((c) => c.slice(0, 2).join(' '))).toEqual(['autoscaling complete-lifecycle-action']);
  });
});

describe('the instance role and the logs', () => {
  const policies = resourcesOfType(json, 'aws_iam_role_policy').filter((p) => p.name === 'server');
  const statements = (p: Record<string, any>) => JSON.parse(p.policy).Statement as { Sid: string; Action: string | string[]; Resource: string | string[] }[];

  it('may only create streams in and put events to its own log group', () => {
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const logs = statements(policy).filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      expect(logs[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      const group = /^\$\{aws_cloudwatch_log_group\.([A-Za-z0-9_-]+)\.arn\}$/.exec([logs[0].Resource].flat()[0]);
      expect(group).not.toBeNull();
      expect(logs[0].Resource).toEqual([`\${aws_cloudwatch_log_group.${group![1]}.arn}`, `\${aws_cloudwatch_log_group.${group![1]}.arn}:*`]);
      // Its own environment's group: the role and the group are named after the same environment.
      expect(policy.role).toContain(group![1].split('_')[0]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A refresh of a group at its maximum: launch before terminate needs room above the group's size.
// ---------------------------------------------------------------------------------------------------------------

describe('instance refresh of a group of fixed size', () => {
  const groups = Object.fromEntries(
    Object.entries<Record<string, any>>(json.resource.aws_autoscaling_group).map(([k, g]) => [k.split('_')[0], g]),
  );
  const policies = Object.keys(json.resource.aws_autoscaling_policy ?? {}).map((k) => k.split('_')[0]);

  it('staging 1/1 launches the new server before it stops the old one, with room for it under max_size', () => {
    const staging = groups.staging;
    expect(staging.min_size).toBe(1);
    expect(staging.instance_maintenance_policy).toEqual({ min_healthy_percentage: 100, max_healthy_percentage: 200 });
    expect(staging.instance_refresh.preferences).toMatchObject({ min_healthy_percentage: 100, max_healthy_percentage: 200 });
    // 200% of the one desired instance is two: max_size leaves room for both.
    expect(staging.max_size).toBe(2);
    // No scaling policy may use that room: desired capacity is the group's size.
    expect(staging.desired_capacity).toBe(1);
    expect(policies).not.toContain('staging');
  });

  it('the rotation watch asks for the same preferences', () => {
    expect(userData('staging')).toContain(`--preferences '{"MinHealthyPercentage":100,"MaxHealthyPercentage":200}'`);
  });

  it('a scaling group keeps its max_size and its CPU policy', () => {
    expect(groups.production).toMatchObject({ min_size: 2, max_size: 6 });
    expect(groups.production.desired_capacity).toBeUndefined();
    expect(policies).toContain('production');
  });

  /** A ServerGroup alone, behind a real load balancer. */
  function group(extra: Partial<aws.ServerGroupProps>): { group: aws.ServerGroup; json: StackJson } {
    const stack = awsTestStack();
    const lb = new aws.AppLoadBalancer(stack, 'lb', { name: 'p-lb', targetGroupPrefix: 'p', vpcId: 'vpc-1', subnetIds: ['a', 'b'], certificateArn: 'arn', profile: serverpodProfile(), hostsByPort: {} });
    const built = new aws.ServerGroup(stack, 'g', {
      name: 'p-staging-server',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      instanceType: 't3.micro',
      instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/p',
      userData: '#!/bin/bash\n',
      loadBalancer: lb,
      ports: [8080],
      ...extra,
    });
    return { group: built, json: synthJson(stack) };
  }

  it.each<[number, number, number, boolean]>([
    [1, 1, 2, false],
    [3, 3, 6, false],
    [1, 2, 2, true],
    [2, 6, 6, true],
  ])('ServerGroup %i..%i: max_size %i, CPU policy %s', (min, max, maxSize, scaling) => {
    const built = group({ minInstances: min, maxInstances: max });
    const asg = only(built.json, 'aws_autoscaling_group');
    expect(asg).toMatchObject({ min_size: min, max_size: maxSize, instance_maintenance_policy: { min_healthy_percentage: 100, max_healthy_percentage: 200 } });
    expect(asg.desired_capacity).toBe(scaling ? undefined : min);
    expect(built.group.maxSize).toBe(maxSize);
    expect(resourcesOfType(built.json, 'aws_autoscaling_policy')).toHaveLength(scaling ? 1 : 0);
    expect(built.group.cpuScalingPolicy !== undefined).toBe(scaling);
  });

  it('a group that may terminate first (minHealthyPercent below 100) needs no room', () => {
    const built = group({ minInstances: 1, maxInstances: 1, minHealthyPercent: 90 });
    expect(only(built.json, 'aws_autoscaling_group')).toMatchObject({ max_size: 1, instance_maintenance_policy: { min_healthy_percentage: 90, max_healthy_percentage: 100 } });
  });
});
