import { runApp } from './run';

// This repository's cdktf app (`cdktf.json` runs the compiled dist/stacks/main.js); the package's
// `cdktf-serverpod synth` runs the same function.
process.exitCode = runApp();
