#!/usr/bin/env node
// Rewrites the rule list of docs/guardrails.md from the rule definitions (run `npm run build` first).
// test/guardrails.test.ts fails when the committed file differs from what this writes.
'use strict';
const fs = require('fs');
const path = require('path');
const { withRulesSection } = require('../dist/lib/guardrails/docs');
const { GUARDRAIL_RULES } = require('../dist/lib/guardrails/rules');

const file = path.join(__dirname, '..', 'docs', 'guardrails.md');
fs.writeFileSync(file, withRulesSection(fs.readFileSync(file, 'utf8'), GUARDRAIL_RULES));
console.log(`${path.relative(process.cwd(), file)}: ${GUARDRAIL_RULES.length} rules`);
