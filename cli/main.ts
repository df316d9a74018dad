#!/usr/bin/env node
import { runCli } from './commands';

// The package's bin, `cdktf-serverpod`; `npx cdktf-serverpod --help` lists its commands.
process.exitCode = runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
