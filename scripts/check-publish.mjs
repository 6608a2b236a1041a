// `npm run publish:check`: what `npm publish` would publish, known before a release. Runs
// `npm publish --dry-run` (nothing is sent; no login needed) and holds its file list to the
// package's shape: the four bundled entries and their types, the docs, the licence, nothing
// from the sources, specs or tooling. Prints the list and the packed size.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const npm = process.env.npm_execpath;
const [command, prefix] = npm === undefined ? ['npm', []] : [process.execPath, [npm]];
const out = execFileSync(command, [...prefix, 'publish', '--dry-run', '--json', '--ignore-scripts'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
});
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const report = JSON.parse(out)[manifest.name];
const files = report.files.map((f) => f.path);

const problems = [];
const required = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/index.js',
  'dist/index.d.ts',
  'dist/hook-tools/index.js',
  'dist/hook-tools/index.d.ts',
  'dist/testing/index.js',
  'dist/testing/index.d.ts',
  'dist/pebble/index.js',
  'dist/pebble/index.d.ts',
];
for (const file of required) if (!files.includes(file)) problems.push(`missing ${file}`);
for (const file of files) {
  const allowed =
    ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(file) ||
    /^dist\/.+\.(js|d\.ts)$/.test(file);
  if (!allowed) problems.push(`would publish ${file}, which is not part of the package`);
}
for (const field of ['repository', 'homepage', 'bugs', 'license']) {
  if (manifest[field] === undefined)
    problems.push(`package.json has no ${field} (npm's provenance needs the repository)`);
}
for (const [entry, target] of Object.entries(manifest.exports)) {
  const paths = typeof target === 'string' ? [target] : Object.values(target);
  for (const path of paths)
    if (!files.includes(path.replace(/^\.\//, '')))
      problems.push(`exports ${entry} names ${path}, which would not be published`);
}

console.log(
  `${report.id}: ${String(files.length)} files, ${(report.size / 1024).toFixed(0)} KiB packed, ${(report.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
);
for (const file of files) console.log(`  ${file}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`publish:check: ${problem}`);
  process.exit(1);
}
