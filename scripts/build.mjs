// `npm run build`: the package as users load it. Each entry point (`.`, `./hook-tools`, `./testing`) is one
// ES module, bundled by esbuild, so that a hook loads one file instead of a tree of them; the
// testing entry imports the main one (one set of status classes, one registry). The types are
// tsc's declarations, holding the public API only (stripInternal).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

rmSync('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  stdio: 'inherit',
});

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20.19', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['lib/index.ts'],
  outfile: 'dist/index.js',
});
// The other entries import the main one rather than bundle copies of it: one set of status
// classes, one HookToolError, one hook-tool runner.
const mainExternal = {
  name: 'main-entry-external',
  setup(context) {
    context.onResolve({ filter: /^\.\.\/index\.js$/ }, () => ({ path: '../index.js', external: true }));
  },
};
for (const entry of ['testing', 'hook-tools', 'pebble']) {
  await build({
    ...common,
    entryPoints: [`lib/${entry}/index.ts`],
    outfile: `dist/${entry}/index.js`,
    // Dependencies load from node_modules: the testing entry reads charm metadata with yaml, and
    // the Pebble entry a plan (or a layer given as YAML) with it, loaded when first used.
    external: ['eventemitter3', 'yaml'],
    plugins: [mainExternal],
  });
}
