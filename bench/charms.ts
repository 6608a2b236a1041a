// An example charm two ways, as the harness benchmarks run it: its module (the library taken
// from dist/, as the testing entry's is, so that both share one main entry) for runs in the
// benchmark's process, and its packed folder (dispatch, the bundle, its metadata, this Node as
// bin/node) for runs through dispatch.
import { type BuildOptions, build } from 'esbuild';
import { chmod, copyFile, mkdir, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { Charm } from 'charms-contextual-status/testing';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** An example's build.mjs `bundleOptions`. */
type Bundle = (library?: string) => BuildOptions & { outfile: string };

/** The example charm in `example`, built into `work`: its module's charm, and its packed folder. */
export async function exampleCharm(
  example: string,
  bundleOptions: Bundle,
  work: string,
): Promise<{ charm: Charm; packed: string }> {
  const module = join(work, 'charm.mjs');
  await build({
    ...bundleOptions(),
    entryPoints: [join(example, 'src', 'charm.ts')],
    outfile: module,
    format: 'esm',
    banner: {},
    plugins: [
      {
        name: 'library-external',
        setup(context) {
          context.onResolve({ filter: /^charms-contextual-status(\/.*)?$/ }, ({ path }) => ({
            path: pathToFileURL(join(root, 'dist', path.slice('charms-contextual-status'.length), 'index.js'))
              .href,
            external: true,
          }));
        },
      },
    ],
  });
  const { charm } = (await import(pathToFileURL(module).href)) as { charm: Charm };
  const packed = join(work, 'packed');
  await mkdir(join(packed, 'dist'), { recursive: true });
  await mkdir(join(packed, 'bin'));
  await symlink(process.execPath, join(packed, 'bin', 'node'));
  for (const file of ['dispatch', 'charmcraft.yaml']) await copyFile(join(example, file), join(packed, file));
  await chmod(join(packed, 'dispatch'), 0o755);
  const bundled = bundleOptions(join(root, 'dist'));
  const entry = join(packed, 'dist', basename(bundled.outfile));
  await build({ ...bundled, outfile: entry });
  await chmod(entry, 0o755);
  return { charm, packed };
}
