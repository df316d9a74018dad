#!/usr/bin/env node
// The npm page shows the packed README.md, where a relative link leads nowhere (the package has no repository
// URL). Before `npm pack`/`npm publish` pack the package, `prepack` rewrites the README's relative links: one to
// a file the package ships becomes an absolute link to that file of this version on unpkg.com, which serves every
// published file; one to a file it does not ship (an example, the CI script) becomes plain text. `postpack`
// puts the README back. The working tree's README keeps its relative links, which work in a checkout.
//
//   node scripts/pack-readme.js rewrite   (prepack)
//   node scripts/pack-readme.js restore   (postpack)
'use strict';
const { execFileSync } = require('child_process');
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('fs');
const { dirname, join, posix } = require('path');

/** `[text](target)` and `![alt](target)` outside fenced code blocks; `target` without a title. */
const LINK = /(!?)\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)\)/g;

/** Whether `target` points outside this document's package: a URL, a protocol-relative URL or a mail address. */
function isAbsolute(target) {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * The README with every relative link rewritten for the npm page: to `https://unpkg.com/<name>@<version>/<path>`
 * when the package ships the file (or, for a folder, a file under it), else to its plain text. In-page anchors
 * (`#section`) and absolute links stay. `files` are the packed paths, as `npm pack --json` lists them.
 * Returns the text and the targets that were unlinked.
 */
function rewriteReadme(text, { name, version, files }) {
  const shipped = new Set(files.map((f) => f.replace(/^\.\//, '')));
  const inPackage = (path) => shipped.has(path) || [...shipped].some((f) => f.startsWith(`${path.replace(/\/$/, '')}/`));
  const unlinked = [];
  const rewrite = (chunk) =>
    chunk.replace(LINK, (whole, bang, label, target) => {
      if (isAbsolute(target) || target.startsWith('#')) return whole;
      const [rawPath, hash] = target.split('#');
      const path = posix.normalize(rawPath).replace(/^\.\//, '');
      if (path.startsWith('..') || !inPackage(path)) {
        unlinked.push(target);
        return label;
      }
      const folder = !shipped.has(path);
      const url = `https://unpkg.com/${name}@${version}/${path.replace(/\/$/, '')}${folder ? '/' : ''}${hash !== undefined ? `#${hash}` : ''}`;
      return `${bang}[${label}](${url})`;
    });
  // Fenced blocks are code: a `[x](y)` there is not a link.
  const parts = text.split(/(^```[\s\S]*?^```)/m);
  const out = parts.map((part) => (part.startsWith('```') ? part : rewrite(part))).join('');
  return { text: out, unlinked };
}

/** The files `npm pack` would put in the package of `root` (scripts skipped, so this does not recurse). */
function packedFiles(root) {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out)[0].files.map((f) => f.path);
}

/** Where the original README waits while the package is packed. */
function backupPath(root) {
  return join(root, 'node_modules', '.cache', 'cdktf-serverpod-pack', 'README.md');
}

function rewrite(root) {
  const readme = join(root, 'README.md');
  const backup = backupPath(root);
  if (existsSync(backup)) {
    throw new Error(`${backup} exists: an earlier pack did not restore README.md. Check README.md, then run \`node scripts/pack-readme.js restore\` or delete the backup.`);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const original = readFileSync(readme, 'utf8');
  const { text, unlinked } = rewriteReadme(original, { name: pkg.name, version: pkg.version, files: packedFiles(root) });
  mkdirSync(dirname(backup), { recursive: true });
  writeFileSync(backup, original);
  writeFileSync(`${backup}.packed`, text);
  writeFileSync(readme, text);
  if (unlinked.length) console.error(`pack-readme: not in the package, so plain text on the npm page: ${[...new Set(unlinked)].join(', ')}`);
}

function restore(root) {
  const readme = join(root, 'README.md');
  const backup = backupPath(root);
  if (!existsSync(backup)) return;
  // Someone may have edited README.md while it was packed: then keep their edit and say where the original is.
  if (readFileSync(readme, 'utf8') !== readFileSync(`${backup}.packed`, 'utf8')) {
    throw new Error(`README.md changed while the package was packed; the README before packing is in ${backup}`);
  }
  writeFileSync(readme, readFileSync(backup, 'utf8'));
  rmSync(backup);
  rmSync(`${backup}.packed`);
}

module.exports = { rewriteReadme, packedFiles };

if (require.main === module) {
  const root = process.env.PACK_README_ROOT || join(__dirname, '..');
  const command = process.argv[2];
  // `npm pack --dry-run` runs prepack too, but packs nothing and may never run postpack.
  if (process.env.npm_config_dry_run === 'true') process.exit(0);
  if (command === 'rewrite') rewrite(root);
  else if (command === 'restore') restore(root);
  else {
    console.error('usage: node scripts/pack-readme.js rewrite|restore');
    process.exit(2);
  }
}
