import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeWithWorld } from '../support/test-world';

// The package as a user gets it: `npm pack` (which builds it through prepack), then
// installed from the tarball into empty directories, with the registry for
// aws-cdk-lib, constructs and typescript (--prefer-offline: the versions this
// repository uses are usually in npm's cache). Slow by nature (a build and three
// installs): every step's duration is printed as a test diagnostic.

const ROOT = path.join(__dirname, '..', '..');
const WORK = mkdtempSync(path.join(tmpdir(), 'nlb-janitor-package-'));
/** A PATH with node and nothing else: no esbuild, no Docker, no npm. */
const NODE_ONLY_PATH = path.join(WORK, 'node-only');

const devVersion = (name: string): string =>
  (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};

const durations: string[] = [];
function timed<T>(step: string, run: () => T): T {
  const started = process.hrtime.bigint();
  const result = run();
  durations.push(`${step}: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  return result;
}

/** npm without the variables of an outer `npm test` (npm_config_*, npm_lifecycle_*), which would leak into it. */
function npm(cwd: string, args: string[]): SpawnSyncReturns<string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
}

/** The TypeScript block of the README's "Add it to your CDK app". */
function readmeApp(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Add it to your CDK app\n'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block?.includes("from 'nlb-janitor'"), 'the README shows the construct in an app');
  return block ?? '';
}

function emptyProject(name: string): string {
  const dir = path.join(WORK, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  return dir;
}

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
let tarball: string;
let packed: { size: number; unpackedSize: number; files: PackedFile[] };

before(() => {
  mkdirSync(NODE_ONLY_PATH);
  symlinkSync(process.execPath, path.join(NODE_ONLY_PATH, 'node'));
  // The real pack, not --dry-run: its --json lists the same contents, and the tarball is what the installs use.
  const pack = timed('npm pack (prepack builds dist/)', () =>
    npm(ROOT, ['pack', '--json', '--pack-destination', WORK]),
  );
  assert.equal(pack.status, 0, pack.stderr);
  const [entry] = JSON.parse(pack.stdout) as [{ filename: string } & typeof packed];
  tarball = path.join(WORK, entry.filename);
  packed = entry;
  durations.push(`tarball: ${(entry.size / 1024).toFixed(0)} KiB, ${entry.files.length} files`);
});
after(() => {
  console.log(`# package test steps: ${durations.join('; ')}`);
  rmSync(WORK, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the compiled library, the prebuilt handler, the bundled CLI, LICENSE, README and CHANGELOG, and no tests or sources', () => {
    const paths = packed.files.map((file) => file.path);
    for (const shipped of [
      'package.json',
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'bin/nlb-janitor.cjs',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/nlb-janitor.js',
      'dist/assets/handler/index.js',
      'dist/cli/main.cjs',
      'deploy/gateway-api/rbac.yaml',
    ]) {
      assert.ok(paths.includes(shipped), `${shipped} is in the tarball`);
    }
    const unwanted = paths.filter(
      (file) =>
        file.startsWith('test/') ||
        file.startsWith('lambda/') ||
        file.startsWith('lib/') ||
        file.startsWith('scripts/') ||
        file === 'bin/app.ts' ||
        (file.endsWith('.ts') && !file.endsWith('.d.ts')),
    );
    assert.deepEqual(unwanted, [], 'no tests, no TypeScript sources, no scripts');
    // The handler bundle alone is about 1.2 MB; the whole tarball well under 3 MB.
    assert.ok(packed.size < 3 * 1024 * 1024, `tarball of ${packed.size} bytes`);
  });
});

describe('in an empty CDK app with only aws-cdk-lib, constructs and typescript', () => {
  const versions = {
    'aws-cdk-lib': devVersion('aws-cdk-lib'),
    constructs: devVersion('constructs'),
    typescript: devVersion('typescript'),
  };

  it('claims as the lowest peer versions exactly the versions this test installs', () => {
    assert.deepEqual(PACKAGE.peerDependencies, {
      'aws-cdk-lib': `^${versions['aws-cdk-lib']}`,
      constructs: `^${versions.constructs}`,
    });
  });

  it("type-checks the README's five-line app importing NlbJanitor from nlb-janitor, and synthesizes it with no esbuild and no Docker, from the prebuilt handler", () => {
    const app = emptyProject('app');
    const install = timed('npm install aws-cdk-lib constructs typescript + tarball', () =>
      npm(app, [
        'install',
        '--prefer-offline',
        ...Object.entries(versions).map(([n, v]) => `${n}@${v}`),
        tarball,
      ]),
    );
    assert.equal(install.status, 0, install.stderr);
    assert.throws(() => require.resolve('esbuild', { paths: [app] }), /Cannot find module/);

    // The app is the README's, as a user copies it ("Add it to your CDK app").
    writeFileSync(path.join(app, 'app.ts'), readmeApp());
    // `cdk init app --language typescript`'s settings, but the package's .d.ts are checked too
    // (skipLibCheck false; aws-cdk-lib's own declarations need esnext.disposable then).
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['es2022', 'esnext.disposable'],
          strict: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['app.ts'],
      }),
    );
    const tsc = timed('tsc (type check and emit)', () =>
      spawnSync(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {
        encoding: 'utf8',
      }),
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    const outdir = path.join(app, 'cdk.out');
    const synth = timed('synth', () =>
      spawnSync('node', [path.join(app, 'app.js')], {
        cwd: app,
        env: { PATH: NODE_ONLY_PATH, HOME: WORK, CDK_OUTDIR: outdir },
        encoding: 'utf8',
      }),
    );
    assert.equal(synth.status, 0, synth.stdout + synth.stderr);

    const template = JSON.parse(readFileSync(path.join(outdir, 'Platform.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: unknown } } }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    assert.equal(functions.length, 1);
    const key = String(functions[0]?.Properties.Code?.S3Key);
    const assets = JSON.parse(readFileSync(path.join(outdir, 'Platform.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    const asset = assets.files[key.replace(/\.zip$/, '')];
    assert.ok(asset, `the function's code ${key} is an asset of the app`);
    assert.equal(asset.source.packaging, 'zip');
    // The asset is the package's prebuilt handler, byte for byte: nothing was bundled at synth.
    assert.deepEqual(
      readFileSync(path.join(outdir, asset.source.path, 'index.js')),
      readFileSync(path.join(app, 'node_modules', 'nlb-janitor', 'dist', 'assets', 'handler', 'index.js')),
    );
  });

  it('refuses to install beside a constructs older than the peer range', () => {
    const old = emptyProject('old-constructs');
    const install = timed('npm install constructs@10.0.0 + tarball (refused)', () =>
      npm(old, ['install', '--prefer-offline', 'constructs@10.0.0', tarball]),
    );
    assert.notEqual(install.status, 0);
    assert.match(install.stderr, /ERESOLVE/);
    assert.match(install.stderr, /peerOptional constructs@"\^10\.8\.1" from nlb-janitor/);
  });
});

describeWithWorld('the CLI installed with --omit=dev into an empty directory', (world) => {
  let bin: string;
  before(() => {
    const dir = emptyProject('cli');
    const install = timed('npm install --omit=dev tarball', () =>
      npm(dir, ['install', '--omit=dev', '--prefer-offline', tarball]),
    );
    assert.equal(install.status, 0, install.stderr);
    bin = path.join(dir, 'node_modules', '.bin', 'nlb-janitor');
  });

  /** The installed command, with node alone on the PATH and no setting of the SDK's warning. */
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(bin, args, { env: { PATH: NODE_ONLY_PATH, HOME: WORK, ...env }, encoding: 'utf8' });

  it('installs nothing but itself', () => {
    const tree = JSON.parse(
      readFileSync(path.join(WORK, 'cli', 'node_modules', '.package-lock.json'), 'utf8'),
    ) as { packages: Record<string, unknown> };
    assert.deepEqual(Object.keys(tree.packages), ['node_modules/nlb-janitor']);
  });

  it('prints its version and the sweep usage', () => {
    const version = run(['--version']);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout, `nlb-janitor ${PACKAGE.version}\n`);
    const help = run(['sweep', '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: nlb-janitor sweep \[options\]/);
    assert.match(help.stdout, /--dry-run/);
  });

  it('runs a dry run against the emulator, with no SDK warning, changing nothing', async () => {
    const w = world();
    // A cluster EKS does not know: reported, never touched in a dry run.
    const lb = await w.createNlb({
      name: 'k8s-ghost-lb',
      cluster: 'ghost',
      service: 'shop/web',
      listeners: 0,
    });
    const tagsBefore = await w.tagsOf(lb.arn);
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = w.env();

    const sweep = timed('installed CLI dry run', () => run(['sweep', '--dry-run'], env));

    assert.equal(sweep.stderr, '', 'nothing on stderr: no Node version warning');
    assert.equal(sweep.status, 0);
    assert.match(sweep.stdout, /k8s-ghost-lb\s+ghost\s+shop\/web\s+CLUSTER_NOT_FOUND/);
    assert.deepEqual(await w.tagsOf(lb.arn), tagsBefore, 'a dry run tags nothing');
  });

  it('without credentials exits 2 with one line', async () => {
    const w = world();
    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...env } = w.env();

    const sweep = run(['sweep', '--dry-run'], env);

    assert.equal(sweep.status, 2);
    assert.equal(sweep.stdout, '');
    assert.match(
      sweep.stderr,
      /^nlb-janitor: no AWS credentials: set AWS_PROFILE .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n$/,
    );
    assert.deepEqual(await w.moto.calls(), {});
  });
});
