import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// The README on the npm page: scripts/pack-readme.js rewrites it while the package is packed, and every link
// there must lead somewhere (the package has no repository URL, so a relative link would not).

const { rewriteReadme, packedFiles } = require('../scripts/pack-readme.js') as {
  rewriteReadme(text: string, p: { name: string; version: string; files: string[] }): { text: string; unlinked: string[] };
  packedFiles(root: string): string[];
};

const ROOT = join(__dirname, '..');
const LINK = /!?\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)/g;

/** Every link target of a Markdown text outside fenced code blocks. */
function linkTargets(text: string): string[] {
  return [...text.replace(/^```[\s\S]*?^```/gm, '').matchAll(LINK)].map((m) => m[1]);
}

describe('rewriteReadme', () => {
  const files = ['README.md', 'docs/config.md', 'docs/perseus.md', 'dist/lib/index.js'];
  const rewrite = (text: string) => rewriteReadme(text, { name: 'pkg', version: '1.2.3', files });

  it('points a shipped file at its copy on unpkg, anchors kept; a folder with shipped files at its listing', () => {
    expect(rewrite('See [config](docs/config.md#top-level) and [Perseus](./docs/perseus.md), [the build](dist/lib).').text).toBe(
      'See [config](https://unpkg.com/pkg@1.2.3/docs/config.md#top-level) and [Perseus](https://unpkg.com/pkg@1.2.3/docs/perseus.md), [the build](https://unpkg.com/pkg@1.2.3/dist/lib/).',
    );
  });

  it('unlinks what the package does not ship, and leaves URLs, in-page anchors and code alone', () => {
    const { text, unlinked } = rewrite('[`deploy.yaml`](deploy.yaml), [examples](examples), [up](../x.md), [site](https://serverpod.dev), [here](#quick-start)\n```md\n[x](examples)\n```\n');
    expect(text).toBe('`deploy.yaml`, examples, up, [site](https://serverpod.dev), [here](#quick-start)\n```md\n[x](examples)\n```\n');
    expect(unlinked).toEqual(['deploy.yaml', 'examples', '../x.md']);
  });
});

describe('the packed README', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const files = packedFiles(ROOT);
  const { text } = rewriteReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'), { name: pkg.name, version: pkg.version, files });
  const prefix = `https://unpkg.com/${pkg.name}@${pkg.version}/`;

  it('has no relative link left', () => {
    expect(linkTargets(text).filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'))).toEqual([]);
  });

  it('links only to files of this package version, or to pages elsewhere', () => {
    const missing = linkTargets(text)
      .filter((t) => t.startsWith(prefix))
      .map((t) => t.slice(prefix.length).split('#')[0])
      .filter((path) => !(path.endsWith('/') ? files.some((f) => f.startsWith(path)) : files.includes(path)));
    expect(missing).toEqual([]);
  });

  it('reaches the docs the README names (they are in the package)', () => {
    for (const doc of ['docs/config.md', 'docs/serverpod.md', 'docs/perseus.md', 'docs/operations.md']) {
      expect(files).toContain(doc);
      expect(text).toContain(`](${prefix}${doc}`);
    }
  });
});

describe('prepack and postpack', () => {
  it('rewrite the README for the pack and put it back after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-readme-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '0.0.1', files: ['docs/*.md'] }));
      writeFileSync(join(dir, 'README.md'), '# Demo\n\n[Guide](docs/guide.md), [CI](.ci/run)\n');
      mkdirSync(join(dir, 'docs'));
      writeFileSync(join(dir, 'docs/guide.md'), '# Guide\n');
      const run = (command: string) => execFileSync('node', [join(ROOT, 'scripts/pack-readme.js'), command], { env: { ...process.env, PACK_README_ROOT: dir, npm_config_dry_run: '' }, stdio: 'pipe' });
      run('rewrite');
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# Demo\n\n[Guide](https://unpkg.com/demo@0.0.1/docs/guide.md), CI\n');
      run('restore');
      expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# Demo\n\n[Guide](docs/guide.md), [CI](.ci/run)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
