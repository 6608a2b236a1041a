// Prints the failures of a mocha JSON report, then the line "N passed, N failed".
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const test of report.failures) {
  console.log(`\nFAILED: ${test.fullTitle}\n${test.err.stack ?? test.err.message ?? ''}`);
}
for (const test of report.passes) console.log(`ok - ${test.fullTitle}`);
console.log(`${report.stats.passes} passed, ${report.stats.failures} failed`);
