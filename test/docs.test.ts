import { existsSync, readFileSync, readdirSync } from 'fs';
import { dirname, join, resolve } from 'path';

// The docs a user follows: every relative link leads to a file and heading that exist, and the operations runbook
// covers each operation an operator needs.

const ROOT = resolve(__dirname, '..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lowercase, punctuation dropped (hyphens and underscores kept), spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function headings(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

describe('links between the docs', () => {
  it.each(DOCS)('%s: every relative link names a file and heading that exist', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, hash] = target.split('#');
      const linked = path === '' ? file : join(dirname(file), path);
      if (!existsSync(join(ROOT, linked))) {
        broken.push(`${target} (no file ${linked})`);
        continue;
      }
      if (hash !== undefined && linked.endsWith('.md') && !headings(linked).has(hash)) broken.push(`${target} (no heading #${hash} in ${linked})`);
    }
    expect(broken).toEqual([]);
  });
});

describe('docs/operations.md, the runbook', () => {
  const text = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
  const sections = new Map(text.split(/^## /m).slice(1).map((s) => [s.slice(0, s.indexOf('\n')), s] as const));

  it.each([
    ['First deploy'],
    ['Rolling out a new image'],
    ['Scaling'],
    ['Rotating secrets'],
    ['Database major upgrade'],
    ['Restore from a backup or to a point in time'],
    ['What a database outage does to the servers'],
    ['Teardown and re-create'],
  ])('has a section "%s" that names each cloud', (title) => {
    const section = sections.get(title);
    expect(section).toBeDefined();
    expect(section).toMatch(/GCP|gcloud|cluster-gcp|Cloud SQL/);
    expect(section).toMatch(/AWS|aws |cluster-aws|RDS/);
  });

  it('gives the commands to run, not only prose', () => {
    for (const command of ['npx cdktf deploy', 'gcloud compute instance-groups managed rolling-action replace', 'aws autoscaling start-instance-refresh', 'gcloud sql backups restore', 'aws rds restore-db-instance-to-point-in-time', 'npx cdktf destroy']) {
      expect(text).toContain(command);
    }
  });
});
