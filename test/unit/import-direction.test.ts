import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

// Imports go one way (docs/design.md, "Import direction"). Biome's noImportCycles
// (biome.json, type imports counted) refuses cycles; these rules refuse the upward
// imports a cycle check cannot see because nothing points back yet.

const ROOT = resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/** Every module a file imports, relative ones as paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return [...text.matchAll(SPECIFIER)].map(([, specifier = '']) =>
    specifier.startsWith('.') ? relative(ROOT, resolve(dirname(join(ROOT, file)), specifier)) : specifier,
  );
}

/** The imports of files under `from` that land under any of `forbidden`. */
function violations(from: string, forbidden: readonly string[]): string[] {
  return sourceFiles(from).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((dir) => target === dir || target.startsWith(`${dir}/`)))
      .map((target) => `${file} imports ${target}`),
  );
}

describe('imports go one way', () => {
  it('the contract module imports nothing at all, so both sides may use it', () => {
    const imports = sourceFiles('contract').flatMap((file) => importsOf(file).map((to) => `${file}: ${to}`));
    assert.deepEqual(imports, []);
  });

  const rules: [string, string[]][] = [
    ['lib', ['lambda', 'bin']],
    ['bin', ['lambda']],
    ['lambda', ['lib', 'bin']],
    // The report is told what to say; it does not reach back into the engine that calls it.
    ['lambda/report', ['lambda/sweep']],
    // Producers own their output types: a reader needs nothing of the decisions made on what it read.
    ['lambda/kubernetes', ['lambda/decisions', 'lambda/sweep']],
    ['lambda/inventory', ['lambda/decisions', 'lambda/sweep']],
    ['lambda/ownership', ['lambda/decisions', 'lambda/inventory', 'lambda/sweep']],
    ['lambda/decisions', ['lambda/sweep', 'lambda/actions', 'lambda/report']],
  ];
  for (const [from, forbidden] of rules) {
    it(`${from}/ imports nothing of ${forbidden.map((dir) => `${dir}/`).join(', ')}`, () => {
      assert.deepEqual(violations(from, forbidden), []);
    });
  }

  it('the scanner sees an import, a type import and a re-export', () => {
    // Guards the rules above against a scanner that finds nothing.
    const found = importsOf('lambda/decisions/footprint-verdict.ts');
    assert.ok(found.includes('lambda/kubernetes/cluster-read'), found.join(', '));
    assert.ok(importsOf('lib/validate-props.ts').includes('contract/settings'));
  });
});
