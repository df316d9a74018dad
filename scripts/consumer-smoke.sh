#!/usr/bin/env bash
# Packs the library as npm would publish it, installs the tarball into a fresh cdktf project outside this
# checkout (peer dependencies from the registry), and synthesizes a stack that imports the constructs.
# Proves the package's promise: `npm install` it, import from 'cdktf-serverpod', types included.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n1)
cd "$work"
npm init -y >/dev/null
versions=$(node -e 'const p=require(process.argv[1]);const d=p.devDependencies;console.log(["cdktf","constructs","@cdktf/provider-aws","@cdktf/provider-google","@cdktf/provider-random","typescript"].map(n=>n+"@"+d[n]).join(" "))' "$root/package.json")
# shellcheck disable=SC2086
npm install --prefer-offline --no-audit --no-fund "./$tarball" $versions >/dev/null
cat > main.ts <<'TS'
import { App, TerraformStack } from 'cdktf';
import { AwsProvider, GoogleProvider, aws, gcp, serverpodProfile } from 'cdktf-serverpod';

const app = new App({ outdir: 'out' });
const stack = new TerraformStack(app, 'consumer');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
new GoogleProvider(stack, 'google', { project: 'consumer-project', region: 'us-central1' });
const profile = serverpodProfile();
new aws.ContainerRepository(stack, 'ecr', { name: profile.name });
new gcp.ContainerRegistry(stack, 'gar', { project: 'consumer-project', location: 'us-central1', repositoryId: profile.name });
app.synth();
TS
npx tsc --strict --esModuleInterop --skipLibCheck main.ts
node main.js
grep -q '"aws_ecr_repository"' out/stacks/consumer/cdk.tf.json
grep -q '"google_artifact_registry_repository"' out/stacks/consumer/cdk.tf.json
echo "consumer project installed ${tarball} and synthesized its stack"
