import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, type AssetOptions, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';

/** The handler's source, in a clone of the repository. */
const SOURCE_ENTRY = path.join(__dirname, '..', 'lambda', 'handler.ts');

/**
 * Where `npm pack` puts the prebuilt handler: dist/assets/handler beside dist/lib.
 * Seen from the TypeScript sources (lib/) this is <root>/assets/handler, which never
 * exists, so a clone always bundles its current sources and never a stale build.
 */
export const PREBUILT_HANDLER_DIR = path.join(__dirname, '..', 'assets', 'handler');

/**
 * How the handler is bundled, at pack time (scripts/build-package.ts) and on demand
 * in a clone alike: minified, source maps (without the sources), every dependency included (the SDK
 * version tested is the version run, not the runtime's), the SDK's ES modules so
 * esbuild drops the commands never called, `index.handler`.
 */
export function handlerBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    // Stack traces need the mappings, not the sources (4 MB of the map's 5.6 MB).
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  };
}

/** An asset directory and its options, for `lambda.Code.fromAsset` or an `s3assets.Asset`. */
export interface HandlerAsset {
  readonly path: string;
  readonly options: AssetOptions;
}

/**
 * The janitor's handler as an asset. Installed from the package, it is the bundle
 * built at pack time: a user's synth needs no esbuild, no Docker and no sources.
 * In a clone (no prebuilt bundle beside the code), esbuild bundles lambda/handler.ts
 * at synth, hashed by output so the asset changes exactly when the code does.
 */
export function handlerAsset(): HandlerAsset {
  if (existsSync(path.join(PREBUILT_HANDLER_DIR, 'index.js'))) {
    return { path: PREBUILT_HANDLER_DIR, options: {} };
  }
  if (!existsSync(SOURCE_ENTRY)) {
    throw new Error(
      `nlb-janitor: the prebuilt handler is missing from ${PREBUILT_HANDLER_DIR} and there are no sources to bundle; reinstall the package`,
    );
  }
  return {
    path: path.dirname(SOURCE_ENTRY),
    options: {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
        local: {
          tryBundle(outputDir: string): boolean {
            // Required here, not imported: esbuild is a development dependency, absent from an installed package.
            const esbuild = require('esbuild') as typeof import('esbuild');
            esbuild.buildSync(handlerBuildOptions(SOURCE_ENTRY, path.join(outputDir, 'index.js')));
            return true;
          },
        },
      },
    },
  };
}

/** The handler as a function's code (`index.handler`). */
export function handlerCode(): lambda.Code {
  const asset = handlerAsset();
  return lambda.Code.fromAsset(asset.path, asset.options);
}
