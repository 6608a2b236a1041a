// `npm run build`: bundles the charm and every library it uses into one executable file,
// dist/charm.cjs, so that the packed charm needs no node_modules and Node loads one file.
// CommonJS, though the sources and the library are ES modules: a hook started on a CommonJS
// file does not start Node's ES module loader, which costs every hook a few milliseconds
// (`npm run bench`: whole hooks of the example charm, the bundle as CommonJS and as an ES
// module). Nothing in the charm or the library uses import.meta or top-level await.
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The esbuild options of the bundle, for this script and for specs and benchmarks that build
 * the charm against another build of the library.
 *
 * @param {string} [library] - a folder holding the library's built entries (its `dist`):
 *   `charms-contextual-status` and its subpaths (`/hook-tools`) are taken from there.
 * @returns {import('esbuild').BuildOptions & { outfile: string }}
 */
export function bundleOptions(library) {
  /** @type {import('esbuild').Plugin[]} */
  const plugins =
    library === undefined
      ? []
      : [
          {
            name: 'library-from',
            setup(context) {
              context.onResolve({ filter: /^charms-contextual-status(\/.*)?$/ }, ({ path }) => ({
                path: `${library}${path.slice('charms-contextual-status'.length)}/index.js`,
              }));
            },
          },
        ];
  return {
    entryPoints: [fileURLToPath(new URL('src/main.ts', import.meta.url))],
    plugins,
    outfile: fileURLToPath(new URL('dist/charm.cjs', import.meta.url)),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    // Every hook parses the whole bundle: without whitespace and with simpler syntax it is a
    // third smaller and the hook a few milliseconds faster (bench/README.md, whole hooks).
    // Names are kept, so that a stack trace in `juju debug-log` still names the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { build } = await import('esbuild');
  const options = bundleOptions();
  await build(options);
  await chmod(options.outfile, 0o755);
}
