import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { diagram as diagramCommand } from '../cli/diagram';
import { parseConfig } from '../lib/config/load';
import { Diagram, DiagramEdge, DiagramNode, buildDiagram, closeRenderer, drawSvg, renderPng, renderSvg, toDot, toMermaid } from '../lib/diagram';
import { wrap } from '../lib/diagram/dot';
import { readPng } from '../lib/diagram/docs';
import { gcp } from '../lib';
import { GoogleProvider } from '../lib/providers/google';
import { markEnvironment } from '../lib/model/environment';
import { StackModel, loadSynthesizedStacks } from '../lib/model/stack-model';
import { createStacks } from '../stacks/app';

// The diagram model (boxes, groups, edges) of each bundled stack and of a stack a user builds, its text renderings,
// the SVG and PNG, and the CLI. The pictures in docs/ are checked in diagram-docs.test.ts.

/** Every optional part on: Redis, GitHub deploys, staging, CloudFront for the web server on AWS. */
const CONFIG = `
project: podshop
domain: podshop.dev
environments: [production, staging]
redis: true
storage: true
github: { repository: podshop/podshop }
stacks:
  cluster-gcp: { project: podshop-prod, region: europe-west1 }
  serverless-gcp: { project: podshop-prod, domain: run.podshop.dev, region: europe-west1 }
  cluster-aws: { domain: aws.podshop.dev, region: eu-west-1, availabilityZones: [eu-west-1a, eu-west-1b], webVia: cloudfront }
`;

/** Synthesizes into a temporary folder, as `cdktf synth` does, and reads the stacks back. */
function synthesized(build: (app: App) => void): { outdir: string; models: StackModel[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'diagram-test-'));
  const app = new App({ outdir, stackTraces: false });
  build(app);
  app.synth();
  return { outdir, models: loadSynthesizedStacks(outdir) };
}

const bundled = synthesized((app) => createStacks(app, parseConfig(CONFIG, { source: 'test', env: {} }), { guardrails: false }));
const diagrams = new Map(bundled.models.map((m) => [m.name, { model: m, diagram: buildDiagram(m) }]));
afterAll(() => {
  closeRenderer();
  rmSync(bundled.outdir, { recursive: true, force: true });
});

function get(stack: string): { model: StackModel; diagram: Diagram } {
  const found = diagrams.get(stack);
  if (!found) throw new Error(`no stack ${stack}`);
  return found;
}

/** The one node of a kind in an environment (`undefined`: the stack's own). */
function node(d: Diagram, kind: DiagramNode['kind'], environment?: string): DiagramNode {
  const found = d.nodes.filter((n) => n.kind === kind && n.environment === environment);
  if (found.length !== 1) throw new Error(`${found.length} ${kind} nodes in ${environment ?? 'the stack'}: ${found.map((n) => n.id).join(', ')}`);
  return found[0];
}

function edge(d: Diagram, from: string, to: string): DiagramEdge {
  const found = d.edges.find((e) => e.from === from && e.to === to);
  if (!found) throw new Error(`no edge ${from} -> ${to}; edges: ${d.edges.map((e) => `${e.from} -> ${e.to}`).join('; ')}`);
  return found;
}

/** What the diagram accounts a resource under: a node, a group, or the stack. */
function placements(d: Diagram): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (address: string, where: string) => out.set(address, [...(out.get(address) ?? []), where]);
  for (const n of d.nodes) for (const a of n.resources) add(a, n.id);
  for (const g of d.groups) for (const a of g.resources) add(a, g.id);
  for (const a of d.unattached) add(a, 'stack');
  return out;
}

describe.each(['cluster-gcp', 'serverless-gcp', 'cluster-aws'])('%s: the model', (stack) => {
  it('accounts for every resource exactly once: as a box, folded into one, in a group, or stack-wide', () => {
    const { model, diagram } = get(stack);
    const placed = placements(diagram);
    expect(model.resources.map((r) => r.address).filter((a) => placed.get(a)?.length !== 1)).toEqual([]);
    expect([...placed.keys()].sort()).toEqual(model.resources.map((r) => r.address).sort());
  });

  it('folds supporting resources: no box is an IAM grant, DNS record, firewall rule, health check, target group or generated password', () => {
    const { diagram } = get(stack);
    const folded = /^(google_.*_iam_(member|binding)|google_dns_record_set|aws_route53_record|google_compute_firewall|aws_vpc_security_group_(ingress|egress)_rule|google_compute_health_check|google_compute_backend_service|aws_lb_target_group|aws_lb_listener|random_password|google_service_account|aws_iam_role|aws_iam_role_policy|google_compute_instance_template|aws_launch_template)\./;
    expect(diagram.nodes.filter((n) => folded.test(n.id)).map((n) => n.id)).toEqual([]);
    expect(diagram.unknownTypes).toEqual([]);
  });

  it('draws production and staging as side-by-side groups, with no edge between them', () => {
    const { diagram } = get(stack);
    expect(diagram.groups.filter((g) => g.kind === 'environment').map((g) => g.label)).toEqual(['production', 'staging']);
    const envOf = new Map(diagram.nodes.map((n) => [n.id, n.environment]));
    for (const g of diagram.groups) envOf.set(g.id, diagram.nodes.find((n) => n.group === g.id)?.environment);
    const crossing = diagram.edges.filter((e) => envOf.get(e.from) && envOf.get(e.to) && envOf.get(e.from) !== envOf.get(e.to));
    expect(crossing).toEqual([]);
  });

  it('puts each environment in its own group of the VPC', () => {
    const { diagram } = get(stack);
    const networks = diagram.groups.filter((g) => g.kind === 'network');
    expect(networks.map((g) => g.parent)).toEqual(['environment:production', 'environment:staging']);
    expect(networks[0].label).toMatch(/^VPC podshop-.*network · 10\.\d+\.0\.0\/\d+$/);
  });

  it('enters from the internet over HTTPS, and the public DNS zone answers for the load balancer or CDN', () => {
    const { diagram } = get(stack);
    const entries = diagram.edges.filter((e) => e.from === 'internet' && e.kind === 'request');
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.labels.join(' ')).toMatch(/HTTPS/);
    const zone = node(diagram, 'dns-zone');
    expect(edge(diagram, 'internet', zone.id).kind).toBe('dns');
    expect(diagram.edges.filter((e) => e.from === zone.id).map((e) => diagram.nodes.find((n) => n.id === e.to)?.kind).sort()).toEqual(expect.arrayContaining(['load-balancer']));
  });

  it('gives the database, Redis, buckets and secrets of each environment their edges', () => {
    const { diagram } = get(stack);
    for (const env of ['production', 'staging']) {
      const db = node(diagram, 'database', env);
      const cache = node(diagram, 'cache', env);
      const secrets = node(diagram, 'secret', env);
      const into = (id: string) => diagram.edges.filter((e) => e.to === id);
      expect(into(db.id).flatMap((e) => e.labels)).toContain('Postgres :5432');
      expect(into(cache.id).flatMap((e) => e.labels).join(' ')).toMatch(/^Redis :637[89]/);
      expect(into(secrets.id).flatMap((e) => e.labels)).toEqual(expect.arrayContaining([expect.stringMatching(/^reads/)]));
      expect(secrets.count).toBeGreaterThan(3);
      const buckets = diagram.nodes.filter((n) => n.kind === 'bucket' && n.environment === env);
      expect(buckets).toHaveLength(2);
      for (const b of buckets) expect(into(b.id).flatMap((e) => e.labels)).toContain('reads/writes');
    }
  });

  it('lets GitHub Actions push images and deploy', () => {
    const { diagram } = get(stack);
    const ci = node(diagram, 'ci');
    expect(ci.title).toBe('GitHub Actions');
    expect(edge(diagram, ci.id, node(diagram, 'registry').id).labels).toContain('pushes image');
    expect(diagram.edges.filter((e) => e.from === ci.id && e.kind === 'deploy').length).toBeGreaterThanOrEqual(2);
  });
});

describe('cluster-gcp: the model', () => {
  const { diagram } = get('cluster-gcp');

  it('routes each host of the shared load balancer to a named port of its environment’s instance group', () => {
    const lb = node(diagram, 'load-balancer');
    const servers = node(diagram, 'server-group', 'production');
    expect(edge(diagram, lb.id, servers.id).labels).toEqual(['api → :8080', 'insights → :8081', 'app → :8082']);
    expect(edge(diagram, lb.id, servers.id).details).toEqual(['api.podshop.dev → :8080', 'insights.podshop.dev → :8081', 'app.podshop.dev → :8082']);
    expect(edge(diagram, lb.id, node(diagram, 'server-group', 'staging').id).labels).toEqual(['api-staging → :8080', 'insights-staging → :8081', 'app-staging → :8082']);
    expect(servers.resources.some((a) => a.startsWith('google_compute_instance_template.'))).toBe(true);
    expect(lb.resources.filter((a) => a.startsWith('google_compute_health_check.')).length).toBe(6);
  });

  it('groups the database and Redis in the private zone whose names the boot script uses', () => {
    const zone = diagram.groups.find((g) => g.kind === 'private-zone' && g.parent === 'network:google_compute_network.cluster_Network_2B83C50D:production');
    expect(zone?.label).toBe('private zone private-production.podshop.dev');
    expect(diagram.nodes.filter((n) => n.group === zone?.id).map((n) => n.kind).sort()).toEqual(['cache', 'database']);
    expect(edge(diagram, node(diagram, 'server-group', 'production').id, node(diagram, 'database', 'production').id).labels).toEqual(['Postgres :5432']);
  });

  it('merges the managed certificates into one box, feeding TLS to the load balancer', () => {
    const certs = node(diagram, 'certificate');
    expect(certs.count).toBe(8);
    expect(edge(diagram, certs.id, node(diagram, 'load-balancer').id)).toMatchObject({ kind: 'tls', labels: ['TLS'] });
  });

  it('leaves the enabled project APIs out of the boxes', () => {
    expect(diagram.unattached.every((a) => a.startsWith('google_project_service.') || a.startsWith('google_project_iam_custom_role.'))).toBe(true);
    expect(diagram.unattached.length).toBeGreaterThanOrEqual(15);
  });
});

describe('serverless-gcp: the model', () => {
  const { diagram } = get('serverless-gcp');

  it('draws the Cloud Run services and jobs that share a service account as one group, its shared edges from the group', () => {
    const group = diagram.groups.find((g) => g.kind === 'workload' && g.parent?.endsWith(':production'));
    expect(group?.label).toBe('Cloud Run · runs as podshop-run-production-sa');
    const members = diagram.nodes.filter((n) => n.group === group?.id);
    expect(members.map((n) => `${n.kind} ${n.lines[0]}`)).toEqual([
      'service podshop-run-production-api',
      'service podshop-run-production-insights',
      'service podshop-run-production-web',
      'job podshop-run-production-maintenance',
      'job podshop-run-production-migrations',
    ]);
    expect(members.find((n) => n.lines[0] === 'podshop-run-production-api')?.lines[1]).toBe(':8080 · 0–3 instances');
    expect(edge(diagram, group!.id, node(diagram, 'database', 'production').id).labels).toEqual(['Postgres :5432']);
    expect(edge(diagram, group!.id, node(diagram, 'secret', 'production').id).labels).toEqual(['reads']);
    expect(edge(diagram, node(diagram, 'ci').id, group!.id).kind).toBe('deploy');
  });

  it('routes each host of the load balancer to its Cloud Run service', () => {
    const lb = node(diagram, 'load-balancer');
    const api = diagram.nodes.find((n) => n.lines[0] === 'podshop-run-staging-api')!;
    expect(edge(diagram, lb.id, api.id).details).toEqual(['api-staging.run.podshop.dev']);
  });

  it('has the scheduler invoke the maintenance job', () => {
    const scheduler = node(diagram, 'scheduler', 'production');
    const job = diagram.nodes.find((n) => n.lines[0] === 'podshop-run-production-maintenance')!;
    expect(scheduler.lines).toContain('* * * * *');
    expect(edge(diagram, scheduler.id, job.id).labels).toEqual(['invokes']);
  });
});

describe('cluster-aws: the model', () => {
  const { diagram } = get('cluster-aws');

  it('puts each environment’s load balancer in the VPC, routing hosts to the Auto Scaling group’s ports', () => {
    const lb = node(diagram, 'load-balancer', 'production');
    const servers = node(diagram, 'server-group', 'production');
    expect(lb.group).toBe(servers.group);
    expect(diagram.groups.find((g) => g.id === lb.group)?.kind).toBe('network');
    expect(edge(diagram, lb.id, servers.id).labels).toEqual(expect.arrayContaining(['api → :8080', 'insights → :8081', 'app → :8082']));
    expect(edge(diagram, 'internet', lb.id).labels).toEqual(expect.arrayContaining(['HTTP :80 → HTTPS', 'HTTPS :443']));
    expect(lb.resources.some((a) => a.startsWith('aws_lb_listener_rule.'))).toBe(true);
  });

  it('reads the database host from the launch template’s user data (a Terraform local)', () => {
    const servers = node(diagram, 'server-group', 'staging');
    expect(edge(diagram, servers.id, node(diagram, 'database', 'staging').id).labels).toEqual(['Postgres :5432']);
    expect(edge(diagram, servers.id, node(diagram, 'registry').id).labels).toEqual(['pulls image']);
  });

  it('serves storage and the web server through CloudFront with the us-east-1 certificate', () => {
    const cdns = diagram.nodes.filter((n) => n.kind === 'cdn' && n.environment === 'production');
    expect(cdns.map((n) => n.lines[0]).sort()).toEqual(['app.aws.podshop.dev', 'storage.aws.podshop.dev']);
    const cert = diagram.nodes.find((n) => n.kind === 'certificate' && n.lines.includes('us-east-1'))!;
    for (const cdn of cdns) expect(edge(diagram, cert.id, cdn.id).kind).toBe('tls');
    const web = cdns.find((n) => n.lines[0].startsWith('app.'))!;
    expect(edge(diagram, web.id, node(diagram, 'load-balancer', 'production').id).labels).toEqual(['origin']);
  });

  it('folds the storage key’s IAM user into the servers, which read the key from a secret and so hold its rights', () => {
    const servers = node(diagram, 'server-group', 'production');
    expect(servers.resources.filter((a) => /^aws_iam_(user|user_policy|role|role_policy|instance_profile)\./.test(a)).map((a) => a.split('.')[0]).sort()).toEqual([
      'aws_iam_instance_profile',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_iam_user',
      'aws_iam_user_policy',
    ]);
  });
});

/** A user's own stack: a library pattern, plain provider resources, and a type no table knows. */
class Widget extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly target: string,
  ) {
    super(scope, id, { terraformResourceType: 'acme_widget' });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { watches: this.target };
  }
}

class UserStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project: 'my-project', region: 'europe-west4' });
    const site = new gcp.GcpStaticSite(this, 'docs', { project: 'my-project', namePrefix: 'docs', domain: 'example.com', hosts: ['docs.example.com'], location: 'EU' });
    const production = new Construct(this, 'production');
    markEnvironment(production, 'production');
    new Widget(production, 'watcher', site.bucket.name);
  }
}

describe('a stack the user builds', () => {
  const user = synthesized((app) => new UserStack(app, 'my-site'));
  const diagram = buildDiagram(user.models[0]);
  afterAll(() => rmSync(user.outdir, { recursive: true, force: true }));

  it('draws the library pattern’s parts and a type no table knows as a plain box, with its edge', () => {
    expect(diagram.unknownTypes).toEqual(['acme_widget']);
    const widget = diagram.nodes.find((n) => n.id.startsWith('acme_widget.'))!;
    expect(widget).toMatchObject({ kind: 'resource', title: 'acme_widget', environment: 'production', group: 'environment:production' });
    const bucket = node(diagram, 'bucket');
    expect(edge(diagram, widget.id, bucket.id).kind).toBe('access');
    const lb = node(diagram, 'load-balancer');
    expect(edge(diagram, lb.id, bucket.id).details).toEqual(['docs.example.com']);
    expect(edge(diagram, 'internet', lb.id).labels).toEqual(expect.arrayContaining(['HTTPS :443']));
    expect(node(diagram, 'certificate').lines).toEqual(['docs.example.com']);
  });

  it('accounts for every resource exactly once', () => {
    const placed = placements(diagram);
    expect([...placed.values()].filter((w) => w.length !== 1)).toEqual([]);
    expect(placed.size).toBe(user.models[0].resources.length);
  });

  it('draws a stack of supporting resources only resource by resource, not as an empty picture', () => {
    const json = { '//': { metadata: { stackName: 'bare' } }, resource: { google_service_account: { a: { account_id: 'a' } }, google_project_iam_member: { b: { member: '${google_service_account.a.member}', role: 'roles/viewer' } } } };
    const bare = buildDiagram(StackModel.fromJson(json));
    expect(bare.nodes.map((n) => `${n.kind} ${n.title}`).sort()).toEqual(['resource google_project_iam_member', 'resource google_service_account']);
  });
});

describe('the text renderings', () => {
  const hostile: Diagram = {
    stack: 'x"y',
    title: 'x"y <b>',
    nodes: [
      { id: 'a"b', kind: 'bucket', title: 'S3 bucket', lines: ['name"with<tags>&|pipes'], resources: ['aws_s3_bucket.a'], count: 1, details: [], constructPath: '' },
      { id: 'c', kind: 'resource', title: 'acme_widget', lines: ['x]"])'], resources: ['acme_widget.c'], count: 1, details: [], constructPath: '' },
    ],
    groups: [],
    edges: [{ from: 'c', to: 'a"b', kind: 'access', labels: ['"quoted" <label>'], details: ['"quoted" <label>'] }],
    unknownTypes: ['acme_widget'],
    unattached: [],
  };

  it('DOT escapes what user strings bring and is the same text every time', () => {
    const dot = toDot(hostile);
    expect(dot).toContain('"a\\"b" [label=<');
    expect(dot).toContain('name&quot;with&lt;tags&gt;&amp;|pipes');
    expect(dot).not.toContain('<tags>');
    expect(toDot(hostile)).toBe(dot);
    expect(toDot(get('cluster-gcp').diagram)).toBe(toDot(buildDiagram(get('cluster-gcp').model)));
  });

  it('Mermaid escapes what user strings bring, so no label can end early', () => {
    const mermaid = toMermaid(hostile);
    expect(mermaid).toContain('n1[/"<b>S3 bucket</b><br/>name#quot;with#lt;tags#gt;#amp;#124;pipes"/]');
    expect(mermaid).toContain('n2 -->|"#quot;quoted#quot; #lt;label#gt;"| n1');
    expect(mermaid.split('\n')[0]).toBe('flowchart TB');
  });

  it('control characters become spaces and Mermaid directives cannot be written through a name', () => {
    const nasty: Diagram = { ...hostile, nodes: [{ ...hostile.nodes[0], lines: ['p\u001bq\rr %%{init: {"theme":"dark"}}%%'] }, hostile.nodes[1]] };
    const dot = toDot(nasty);
    const mermaid = toMermaid(nasty);
    expect(dot + mermaid).not.toMatch(/[\u0000-\u001f](?<!\n)/);
    expect(dot).toContain('p q r');
    expect(mermaid).toContain('#37;#37;{init: {#quot;theme#quot;:#quot;dark#quot;}}#37;#37;');
    expect(mermaid).not.toContain('%%{init');
  });

  it('Mermaid of a bundled stack has a subgraph per group and an edge line per edge', () => {
    const { diagram } = get('cluster-gcp');
    const mermaid = toMermaid(diagram);
    expect((mermaid.match(/^\s*subgraph /gm) ?? []).length).toBe(diagram.groups.length);
    expect((mermaid.match(/^ {2}(n|g)\d+ (==>|-->|-\.->)/gm) ?? []).length).toBe(diagram.edges.length);
  });

  it('--details lists what folds into the boxes', () => {
    const { diagram } = get('cluster-gcp');
    expect(toDot(diagram)).not.toContain('google_compute_health_check');
    expect(toDot(diagram, { details: true })).toMatch(/\+ google_compute_health_check × 6/);
    expect(toMermaid(diagram, { details: true })).toMatch(/\+ google_secret_manager_secret_version × \d+/);
  });

  it('breaks long names after a hyphen or dot, never leaving a stub', () => {
    expect(wrap('serverpod-run-production-insights')).toEqual(['serverpod-run-production-', 'insights']);
    expect(wrap('storage-staging.examplepod.com')).toEqual(['storage-staging.', 'examplepod.com']);
    expect(wrap('short')).toEqual(['short']);
  });
});

describe('SVG and PNG', () => {
  /** Well-formed XML, checked by a stack of open tags. */
  function wellFormed(xml: string): boolean {
    const stack: string[] = [];
    for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '').replace(/<!DOCTYPE[^>]*>/g, '').matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
      if (m[3] === '/') continue;
      if (m[1] === '/') {
        if (stack.pop() !== m[2]) return false;
      } else stack.push(m[2]);
    }
    return stack.length === 0;
  }

  it.each(['cluster-gcp', 'serverless-gcp', 'cluster-aws'])('%s: the SVG parses and names the main boxes', (stack) => {
    const { diagram } = get(stack);
    const svg = drawSvg(diagram);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#45;/g, '-').replace(/&amp;/g, '&'));
    for (const n of diagram.nodes) expect(texts).toContain(n.title);
    expect(texts).toEqual(expect.arrayContaining(['production', 'staging', 'Postgres :5432']));
    expect(svg).toContain(`font-family="'DejaVu Sans', Verdana, Geneva, sans-serif"`);
    // resvg parses it too (it throws on an SVG it cannot read), and draws it at README width.
    const png = readPng(renderPng(svg, { width: 880 }));
    expect(png.width).toBe(880);
    expect(png.height).toBeGreaterThan(400);
  });

  it('draws production left of staging', () => {
    const svg = drawSvg(get('cluster-aws').diagram);
    const x = (label: string) => {
      const at = svg.indexOf(`>${label}</text>`);
      return Number(/x="([0-9.]+)"[^>]*>$/.exec(svg.slice(svg.lastIndexOf('<text', at), at + 1))?.[1]);
    };
    expect(x('production')).toBeLessThan(x('staging'));
  });

  it('reports Graphviz’s error on DOT it cannot read, and goes on rendering after it', () => {
    expect(() => renderSvg('digraph { a -> ')).toThrow(/syntax error/);
    expect(renderSvg('digraph { a -> b }')).toContain('<svg');
  });
});

describe('cdktf-serverpod diagram', () => {
  const run = (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const previous = process.env.CDKTF_OUTDIR;
    process.env.CDKTF_OUTDIR = bundled.outdir;
    try {
      const code = diagramCommand(args, { cwd: bundled.outdir, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } });
      return { code, stdout: out.join(''), stderr: err.join('') };
    } finally {
      if (previous === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = previous;
    }
  };

  it('writes every format of every synthesized stack into cdktf.out/diagrams', () => {
    const { code, stdout } = run([]);
    expect(code).toBe(0);
    const files = readdirSync(join(bundled.outdir, 'diagrams')).sort();
    expect(files).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp'].flatMap((s) => ['dot', 'mmd', 'png', 'svg'].map((e) => `${s}.${e}`)).sort());
    expect(stdout).toMatch(/^cluster-gcp: \d+ boxes, \d+ edges, \d+ resources$/m);
    expect(readFileSync(join(bundled.outdir, 'diagrams', 'cluster-gcp.mmd'), 'utf8')).toBe(toMermaid(get('cluster-gcp').diagram));
  });

  it('writes one stack’s Mermaid text to standard output', () => {
    const { code, stdout } = run(['cluster-aws', '--format', 'mermaid', '--out', '-', '--details']);
    expect(code).toBe(0);
    expect(stdout).toBe(toMermaid(get('cluster-aws').diagram, { details: true }));
  });

  it('refuses an unknown format, a stack that was not synthesized, and --out - for a picture', () => {
    expect(run(['--format', 'jpeg'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown format "jpeg"') });
    expect(run(['nope'])).toMatchObject({ code: 1, stderr: expect.stringContaining('No synthesized stack "nope"') });
    expect(run(['cluster-gcp', '--format', 'png', '--out', '-'])).toMatchObject({ code: 2 });
    expect(run(['--width', 'wide'])).toMatchObject({ code: 2 });
    expect(run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: cdktf-serverpod diagram') });
  });
});
