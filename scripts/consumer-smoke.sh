#!/usr/bin/env bash
# Does what a new user does, outside this checkout, with the library packed as npm would publish it:
#  1. installs the tarball, its peer dependencies and cdktf-cli from the registry into a fresh project;
#  2. `npx cdktf-serverpod init`, then `npx cdktf synth` of the bundled stacks from the installed package;
#  3. builds a stack of their own from the constructs (TypeScript with skipLibCheck off, so the shipped
#     declarations must type-check) and snapshot-tests it under jest with cdktf's Testing helpers: once to write
#     the snapshot, once with --ci to match it, and once with a changed stack, which must fail.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/step.log"

# Runs a step quietly; on failure prints its output and stops.
quiet() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "consumer smoke test: failed: $*" >&2
    exit 1
  fi
}
fail() {
  echo "consumer smoke test: $1" >&2
  exit 1
}

cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n1)
mkdir "$work/project"
cd "$work/project"
npm init -y >/dev/null
# The versions this repository builds and tests with: the peer dependencies, cdktf-cli, TypeScript and jest.
versions=$(node -e 'const d=require(process.argv[1]).devDependencies;console.log(["cdktf","cdktf-cli","constructs","@cdktf/provider-aws","@cdktf/provider-google","@cdktf/provider-random","typescript","jest"].map(n=>n+"@"+d[n]).join(" "))' "$root/package.json")
# shellcheck disable=SC2086
quiet npm install --save-dev --prefer-offline --no-audit --no-fund "../$tarball" $versions

# 1-2. The quick start: init, then cdktf synth runs the bundled stacks from node_modules/cdktf-serverpod.
quiet npx --no-install cdktf-serverpod init --domain smoke.example.org --project smoke
grep -qx 'domain: smoke.example.org' deploy.yaml || fail "init did not write --domain into deploy.yaml"
grep -qx 'cdktf.out/' .gitignore || fail "init did not add cdktf.out/ to .gitignore"
if node_modules/.bin/cdktf-serverpod init >"$log" 2>&1; then fail "a second init overwrote deploy.yaml without --force"; fi
quiet env CHECKPOINT_DISABLE=1 npx --no-install cdktf synth
# Every stack deploy.yaml enables was written (the package's config loader, by path: the root would load the providers).
enabled=$(node -e 'const { loadConfig } = require(process.argv[1]); const c = loadConfig({ path: "deploy.yaml", env: {} }); console.log(Object.keys(c.stacks).filter((id) => c.stacks[id]?.enabled).join(" "))' "$PWD/node_modules/cdktf-serverpod/dist/lib/config/load.js")
[ -n "$enabled" ] || fail "deploy.yaml enables no stack"
for stack in $enabled; do
  [ -f "cdktf.out/stacks/$stack/cdk.tf.json" ] || fail "cdktf synth did not write cdktf.out/stacks/$stack/cdk.tf.json"
done

# 3. A stack of the user's own, from the constructs, and its snapshot test.
mkdir test
cat > stack.ts <<'TS'
import { App, TerraformStack } from 'cdktf';
import { AwsProvider, GoogleProvider, aws, gcp, serverpodProfile } from 'cdktf-serverpod';

export function buildStack(app: App, repositoryName = serverpodProfile().name): TerraformStack {
  const stack = new TerraformStack(app, 'consumer');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new GoogleProvider(stack, 'google', { project: 'consumer-project', region: 'us-central1' });
  new aws.ContainerRepository(stack, 'ecr', { name: repositoryName });
  new gcp.ContainerRegistry(stack, 'gar', { project: 'consumer-project', location: 'us-central1', repositoryId: repositoryName });
  return stack;
}
TS
cat > main.ts <<'TS'
import { App } from 'cdktf';
import { buildStack } from './stack';

const app = new App({ outdir: 'out' });
buildStack(app);
app.synth();
TS
cat > test/stack.test.js <<'JS'
const { Testing } = require('cdktf');
const { snapshotJson } = require('cdktf-serverpod');
const { EcrRepository } = require('@cdktf/provider-aws/lib/ecr-repository');
const { buildStack } = require('../stack');

Testing.setupJest();

test('the stack keeps its registries', () => {
  const stack = buildStack(Testing.app(), process.env.SMOKE_REPOSITORY_NAME);
  expect(Testing.synth(stack)).toHaveResourceWithProperties(EcrRepository, { name: process.env.SMOKE_REPOSITORY_NAME ?? 'serverpod' });
  expect(snapshotJson(stack)).toMatchSnapshot();
});
JS
# skipLibCheck off: the package's declarations (and what they import) must type-check in a strict project.
# skipDefaultLibCheck and no ambient @types keep it to the declarations the user's code reaches.
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": { "strict": true, "esModuleInterop": true, "skipLibCheck": false, "skipDefaultLibCheck": true, "types": [], "target": "ES2022", "module": "commonjs" },
  "files": ["main.ts", "stack.ts"]
}
JSON
quiet node_modules/.bin/tsc -p .
quiet node main.js
grep -q '"aws_ecr_repository"' out/stacks/consumer/cdk.tf.json || fail "the user's stack has no ECR repository"
grep -q '"google_artifact_registry_repository"' out/stacks/consumer/cdk.tf.json || fail "the user's stack has no Artifact Registry repository"

jest=(node_modules/.bin/jest --roots "$PWD/test")
quiet "${jest[@]}" --ci=false
[ -f test/__snapshots__/stack.test.js.snap ] || fail "jest wrote no snapshot"
quiet "${jest[@]}" --ci
if SMOKE_REPOSITORY_NAME=renamed "${jest[@]}" --ci >"$log" 2>&1; then fail "the snapshot test passed on a changed stack"; fi
grep -q 'snapshot failed' "$log" || { cat "$log" >&2; fail "the changed stack failed for another reason than its snapshot"; }

echo "consumer project installed ${tarball}, ran init, synthesized ${enabled} with cdktf, and passed its own snapshot test"
