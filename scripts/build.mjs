// `npm run build`: compiles lib/ into dist/ with the published types holding the public API
// only (stripInternal). The one JavaScript source, the simulator's tool script, has its JSDoc
// typedefs (the tools' state on disk) emitted as types that stripInternal cannot reach; no
// entry point exports them, so its declarations are replaced by an empty module.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
writeFileSync(
  'dist/testing/hook-tool.d.cts',
  '// The tool script of the simulator: internal, no public types.\nexport {};\n',
);
