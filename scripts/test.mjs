// Runs every test file under test/ with Node's own test runner, TypeScript loaded by tsx.
// Node 20's `--test` takes no glob patterns, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// A directory argument (`npm test -- test/unit`) means the test files under it: Node 20
// would find none there and report a passing run of 0 tests.
const only = process.argv.slice(2).flatMap((arg) => {
  const stat = statSync(arg, { throwIfNoEntry: false });
  if (stat === undefined) {
    console.error(`no such test file or directory: ${arg}`);
    process.exit(2);
  }
  return stat.isDirectory() ? testFiles(arg).sort() : [arg];
});
const files = only.length > 0 ? only : testFiles('test').sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  // The SDK warns that it will drop Node 20 in 2027; tests run on the machine's Node 20 and need no reminder.
  env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});
process.exit(result.status ?? 1);
