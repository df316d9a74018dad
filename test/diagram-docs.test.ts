import { existsSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { closeRenderer } from '../lib/diagram';
import { DOCS_PNG_WIDTH, DocDiagram, SVG_HASH_KEY, readPng, sha256 } from '../lib/diagram/docs';

// The pictures in docs/diagrams are the bundled stacks as deploy.yaml configures them. The SVG and Mermaid text are
// regenerated here and must equal the committed files byte for byte. A PNG is not compared by its pixels (resvg's
// anti-aliasing and the PNG encoder can differ in a few bytes between machines): it must carry the SHA-256 of the
// SVG it was drawn from, which is exact. `node scripts/diagram-docs.js` rewrites what is stale.

/* eslint-disable @typescript-eslint/no-require-imports */
const script = require('../scripts/diagram-docs') as {
  STACKS: string[];
  FOLDER: string;
  bundledStacks: (load: NodeRequire) => import('../lib/model/stack-model').StackModel[];
  docFiles: (models: unknown[], load: NodeRequire, png: boolean) => Map<string, string | { doc: DocDiagram }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = join(__dirname, '..');
const FIX = 'run `node scripts/diagram-docs.js` and commit docs/diagrams';
const files = script.docFiles(script.bundledStacks(require), require, false);
afterAll(() => closeRenderer());

describe('docs/diagrams', () => {
  it.each([...files.keys()].map((f) => relative(ROOT, f)))('%s is current', (name) => {
    const file = join(ROOT, name);
    const expected = files.get(file) as string;
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (committed !== expected) throw new Error(`${name} is ${committed === undefined ? 'missing' : 'stale'}: ${FIX}`);
  });

  it.each(script.STACKS)('%s.png was drawn from the current SVG, README-wide', (stack) => {
    const file = join(script.FOLDER, `${stack}.png`);
    expect(existsSync(file)).toBe(true);
    const png = readPng(readFileSync(file));
    const svg = files.get(join(script.FOLDER, `${stack}.svg`)) as string;
    if (png.text[SVG_HASH_KEY] !== sha256(svg)) throw new Error(`docs/diagrams/${stack}.png was drawn from another SVG: ${FIX}`);
    expect(png.width).toBe(DOCS_PNG_WIDTH);
    // Taller than wide is fine; wider would shrink the text below reading size at README width.
    expect(png.height).toBeGreaterThan(400);
    expect(png.height).toBeLessThan(2000);
  });

  it.each(script.STACKS)('docs/%s.md shows its diagram', (stack) => {
    const doc = readFileSync(join(ROOT, 'docs', `${stack}.md`), 'utf8');
    expect(doc).toContain(`](diagrams/${stack}.png)`);
  });
});
