#!/usr/bin/env node
// Finds a local Terraform provider mirror (unpacked layout) holding hashicorp/aws at the version
// @cdktf/provider-aws pins, so AWS stacks can be init'ed, validated and planned with no network.
// Prints the mirror's root directory, or nothing (exit 1) if there is none.
// Order: $CDKTF_SERVERPOD_TF_MIRROR, well-known plugin folders, then a bounded search of the filesystem.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const PROVIDER = path.join('registry.terraform.io', 'hashicorp', 'aws');

function awsVersion() {
  // The provider version the prebuilt package was generated from (its package.json `cdktf.provider.version`).
  const pkg = require(require.resolve('@cdktf/provider-aws/package.json', { paths: [process.cwd(), __dirname] }));
  const version = pkg.cdktf && pkg.cdktf.provider && pkg.cdktf.provider.version;
  if (!version) throw new Error('cannot tell which hashicorp/aws version @cdktf/provider-aws wraps');
  return version;
}

function holdsProvider(root, version) {
  return fs.existsSync(path.join(root, PROVIDER, version, 'linux_amd64'));
}

function findMirror() {
  const version = awsVersion();
  const home = process.env.HOME || '/root';
  const candidates = [
    process.env.CDKTF_SERVERPOD_TF_MIRROR,
    '/opt/tf-plugins',
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter(Boolean);
  for (const dir of candidates) if (holdsProvider(dir, version)) return { root: dir, version };
  try {
    const out = execFileSync('find', ['/', '-xdev', '-path', '/proc', '-prune', '-o', '-path', `*/${PROVIDER}/${version}/linux_amd64/terraform-provider-aws_*`, '-print', '-quit'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60000,
    }).trim();
    if (out) return { root: out.split(`${path.sep}${PROVIDER}${path.sep}`)[0], version };
  } catch {
    // find exits non-zero on unreadable folders; whatever it printed was handled above.
  }
  return { root: undefined, version };
}

module.exports = { findMirror, awsVersion };

if (require.main === module) {
  const { root } = findMirror();
  if (!root) process.exit(1);
  process.stdout.write(`${root}\n`);
}
