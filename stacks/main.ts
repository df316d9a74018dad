import { App } from 'cdktf';
import { loadConfig } from '../lib/config/load';
import { createStacks } from './app';

// The cdktf app (`cdktf.json` runs the compiled dist/stacks/main.js). The config is read and validated
// before any construct exists, so a bad file stops the run with nothing written.
function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const app = new App();
  createStacks(app, config);
  app.synth();
}

main();
