import Table from 'cli-table3';
import type { GuardrailsReport } from './guardrails';

/** Text from the stack (argument values, names, reasons) as a terminal shows it safely: control characters as `\xNN`. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const PLAIN = { head: [] as string[], border: [] as string[] };

/**
 * The report as text for the terminal: a summary line; the findings no suppression covers, one row each; with
 * `listSuppressed`, the suppressions, one row per rule and reason with the number of resources (else the summary
 * points to the report, so a clean stack is one line).
 */
export function guardrailsTable(report: GuardrailsReport, width = process.stdout.columns || 120, listSuppressed = false): string {
  const open = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.filter((f) => f.suppressed);
  const errors = open.filter((f) => f.severity === 'error').length;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines = [`\nGuardrails, stack ${report.stack}: ${report.rules} rules, ${count(errors, 'error')}, ${count(open.length - errors, 'warning')}, ${count(suppressed.length, 'suppressed finding')}.`];
  // Rule ids whole; the text column takes the rest of the terminal, between 40 and 100 characters.
  const ruleWidth = Math.max('Suppressed rule'.length, ...report.findings.map((f) => f.rule.length)) + 2;
  const messageWidth = Math.max(40, Math.min(100, width - ruleWidth - 16));
  if (open.length > 0) {
    const t = new Table({ head: ['Rule', 'Severity', 'Finding'], style: PLAIN, wordWrap: true, colWidths: [ruleWidth, 10, messageWidth] });
    for (const f of open) t.push([printable(f.rule), f.severity, printable(f.message)]);
    lines.push(t.toString());
  }
  if (suppressed.length > 0 && !listSuppressed) {
    lines[0] += ` Each suppression's reason: cdktf.out/stacks/${printable(report.stack)}/guardrails.json.`;
  }
  if (suppressed.length > 0 && listSuppressed) {
    const groups = new Map<string, { rule: string; reason: string; resources: number }>();
    for (const f of suppressed) {
      const key = `${f.rule}\u0000${f.reason}`;
      const g = groups.get(key) ?? groups.set(key, { rule: f.rule, reason: f.reason ?? '', resources: 0 }).get(key)!;
      g.resources += 1;
    }
    const t = new Table({ head: ['Suppressed rule', 'Resources', 'Reason'], style: PLAIN, wordWrap: true, colWidths: [ruleWidth, 11, messageWidth - 1] });
    for (const g of groups.values()) t.push([printable(g.rule), String(g.resources), printable(g.reason)]);
    lines.push(t.toString());
  }
  for (const u of report.unusedSuppressions) lines.push(`  Unused suppression of ${printable(u.rule)} at ${printable(u.where)}: it covers no finding in this stack.`);
  return `${lines.join('\n')}\n`;
}
