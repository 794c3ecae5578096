// npm run build:package (and npm pack, through prepack): what the package ships, in dist/.
//   dist/lib, dist/lambda  the construct library as JavaScript and .d.ts (tsconfig.build.json)
//   dist/assets/handler    the Lambda handler bundled, loaded with Code.fromAsset: a user's synth runs no bundler
//   dist/cli/main.cjs      the CLI bundled to one file with its SDK: it runs with no dependencies installed
// Plain Node, not tsx: esbuild run from under tsx's loader failed to resolve @smithy/core's cbor files.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');

rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: ROOT,
  stdio: 'inherit',
});
// The handler's build options as the library itself bundles on demand in a clone: one definition.
const { handlerBuildOptions, PREBUILT_HANDLER_DIR } = require(join(DIST, 'lib', 'handler-asset.js'));
buildSync(handlerBuildOptions(join(ROOT, 'lambda', 'handler.ts'), join(PREBUILT_HANDLER_DIR, 'index.js')));
buildSync({
  entryPoints: [join(ROOT, 'lambda', 'cli', 'main.ts')],
  outfile: join(DIST, 'cli', 'main.cjs'),
  bundle: true,
  platform: 'node',
  // package.json's engines: the oldest Node the CLI supports.
  target: 'node20.6',
  format: 'cjs',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
});
