import * as path from 'node:path';
import { AssetHashType, type AssetOptions, DockerImage } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';

const ENTRY = path.join(__dirname, '..', '..', 'lambda', 'handler.ts');

/**
 * The janitor's handler bundled as NodejsFunction bundles it (esbuild, minified,
 * source maps, every dependency included, `index.handler`), as asset options for
 * an S3 deployment: organization members take their code from a bucket in their
 * region, not from a NodejsFunction in their template. Hashed by output, so the
 * object key changes exactly when the code does.
 */
export function handlerBundleAssetOptions(): AssetOptions {
  return {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({
            entryPoints: [ENTRY],
            outfile: path.join(outputDir, 'index.js'),
            bundle: true,
            platform: 'node',
            target: 'node24',
            format: 'cjs',
            mainFields: ['module', 'main'],
            minify: true,
            sourcemap: true,
            logLevel: 'warning',
          });
          return true;
        },
      },
    },
  };
}

/** Where members find the bundle: `<prefix>/<asset hash>.zip`, as BucketDeployment copies an unextracted asset. */
export const HANDLER_KEY_PREFIX = 'nlb-janitor';
