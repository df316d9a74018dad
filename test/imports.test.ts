import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';

const ROOT = join(__dirname, '..');
const SCANNED = ['lib', 'stacks', 'examples', 'test', 'bench', 'scripts'];
const PROVIDER_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](@cdktf\/provider-[a-z0-9-]+)(\/[^'"]*)?['"]/g;

/**
 * Import rule: provider packages are imported only in lib/providers/, and only by submodule path
 * (`@cdktf/provider-aws/lib/<resource>`). A root import loads every resource namespace: seconds and ~1 GB.
 */
export function importViolations(file: string, source: string): string[] {
  const found: string[] = [];
  const inProviders = file.startsWith('lib/providers/');
  for (const m of source.matchAll(PROVIDER_IMPORT)) {
    const [, pkg, sub] = m;
    if (!sub || sub === '/') found.push(`${file}: imports ${pkg} from its root; import @cdktf/provider-…/lib/<resource> instead`);
    else if (!inProviders) found.push(`${file}: imports ${pkg}${sub} outside lib/providers/; re-export it from lib/providers/ and import that`);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '__snapshots__' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js)$/.test(entry)) out.push(path);
  }
  return out;
}

describe('provider imports', () => {
  it('the rule catches root imports anywhere and submodule imports outside lib/providers/', () => {
    // Package names assembled here, so searches for root imports do not find this test's own samples.
    const google = ['@cdktf', 'provider-google'].join('/');
    const awsPkg = ['@cdktf', 'provider-aws'].join('/');
    expect(importViolations('lib/gcp/x.ts', `import { X } from '${google}';`)).toHaveLength(1);
    expect(importViolations('lib/providers/aws.ts', `import * as aws from '${awsPkg}'`)).toHaveLength(1);
    expect(importViolations('test/a.ts', `const a = require('${awsPkg}')`)).toHaveLength(1);
    expect(importViolations('stacks/a.ts', "export { Vpc } from '@cdktf/provider-aws/lib/vpc';")).toHaveLength(1);
    expect(importViolations('lib/providers/aws.ts', "export { Vpc } from '@cdktf/provider-aws/lib/vpc';")).toEqual([]);
  });

  it('holds for every source file in the repository', () => {
    const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(10);
    const violations = files
      .filter((f) => !f.endsWith('imports.test.ts'))
      .flatMap((f) => importViolations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(violations).toEqual([]);
  });
});
