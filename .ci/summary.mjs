// Prints the failures of a mocha JSON report, then the line "N passed, N failed". With a label
// (`summary.mjs report.json "Node v24"`), prints the failures and "<label>: N passed, N failed"
// only: the summary of another Node line, before the main run's.
import { readFileSync } from 'node:fs';

const [file, label] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, 'utf8'));
for (const test of report.failures) {
  console.log(
    `\nFAILED${label ? ` on ${label}` : ''}: ${test.fullTitle}\n${test.err.stack ?? test.err.message ?? ''}`,
  );
}
if (label) {
  console.log(`${label}: ${report.stats.passes} passed, ${report.stats.failures} failed`);
} else {
  for (const test of report.passes) console.log(`ok - ${test.fullTitle}`);
  console.log(`${report.stats.passes} passed, ${report.stats.failures} failed`);
}
