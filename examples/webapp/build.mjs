// `npm run build`: bundles the charm and every library it uses into one executable file,
// dist/charm.mjs, so that the packed charm needs no node_modules and Node loads one file.
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The esbuild options of the bundle, for this script and for specs that build the charm
 * against the library's sources.
 *
 * @param {Record<string, string>} [alias] - module names to resolve elsewhere.
 * @returns {import('esbuild').BuildOptions & { outfile: string }}
 */
export function bundleOptions(alias = {}) {
  return {
    entryPoints: [fileURLToPath(new URL('src/charm.ts', import.meta.url))],
    outfile: fileURLToPath(new URL('dist/charm.mjs', import.meta.url)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    alias,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { build } = await import('esbuild');
  const options = bundleOptions();
  await build(options);
  await chmod(options.outfile, 0o755);
}
