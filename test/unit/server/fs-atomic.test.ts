import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UnsafeWriteError, writeFileAtomic } from '../../../src/core/util/fs-atomic';

test('writeFileAtomic replaces the content, keeps the mode and leaves no temp file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-atomic-'));
  try {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, 'ACESTEP_MODE=api\n');
    assert.equal(readFileSync(file, 'utf8'), 'ACESTEP_MODE=api\n');
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['.env']);

    await writeFileAtomic(path.join(dir, 'new.txt'), new Uint8Array([104, 105]));
    assert.equal(readFileSync(path.join(dir, 'new.txt'), 'utf8'), 'hi');

    if (process.platform !== 'win32') {
      writeFileSync(path.join(dir, 'real.env'), 'A=1\n');
      symlinkSync('real.env', path.join(dir, 'link.env'));
      await writeFileAtomic(path.join(dir, 'link.env'), 'A=2\n');
      assert.equal(readFileSync(path.join(dir, 'real.env'), 'utf8'), 'A=2\n', 'a symlinked file gets the content; the link stays');
    }
    await assert.rejects(writeFileAtomic(path.join(dir, 'no-such-dir', 'x'), 'x'));
    assert.ok(!readdirSync(dir).some(f => f.endsWith('.tmp')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- what makes the old file the user's is kept, or the write is refused (hardening, .env cases) ----------

function inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-atomic-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a read-only file is refused with a clear message and left as it was (even for root)', { skip: process.platform === 'win32' }, () => inTemp(async dir => {
  const file = path.join(dir, '.env');
  writeFileSync(file, 'ACESTEP_MODE=gradio\n');
  chmodSync(file, 0o444);
  await assert.rejects(writeFileAtomic(file, 'ACESTEP_MODE=api\n'), (e: Error) => e instanceof UnsafeWriteError && /read-only/.test(e.message));
  assert.equal(readFileSync(file, 'utf8'), 'ACESTEP_MODE=gradio\n');
  assert.equal(statSync(file).mode & 0o777, 0o444);
  assert.deepEqual(readdirSync(dir), ['.env']);
}));

test('a dangling symlink is refused and stays a link (it is not replaced by a regular file)', { skip: process.platform === 'win32' }, () => inTemp(async dir => {
  const file = path.join(dir, '.env');
  symlinkSync('missing.env', file);
  await assert.rejects(writeFileAtomic(file, 'ACESTEP_MODE=api\n'), (e: Error) => e instanceof UnsafeWriteError && /missing\.env, which does not exist/.test(e.message));
  assert.ok(lstatSync(file).isSymbolicLink());
  assert.deepEqual(readdirSync(dir), ['.env']);
}));

test('a file with several hard links is refused: both names keep the same content', { skip: process.platform === 'win32' }, () => inTemp(async dir => {
  const file = path.join(dir, '.env');
  writeFileSync(file, 'ACESTEP_MODE=gradio\n');
  linkSync(file, path.join(dir, 'shared.env'));
  await assert.rejects(writeFileAtomic(file, 'ACESTEP_MODE=api\n'), (e: Error) => e instanceof UnsafeWriteError && /2 hard links/.test(e.message));
  assert.equal(statSync(file).ino, statSync(path.join(dir, 'shared.env')).ino);
  assert.equal(readFileSync(file, 'utf8'), 'ACESTEP_MODE=gradio\n');
}));

test("a file of another owner keeps its owner and group (root), or the write is refused", { skip: process.platform === 'win32' || process.getuid?.() !== 0 }, () => inTemp(async dir => {
  const file = path.join(dir, '.env');
  writeFileSync(file, 'ACESTEP_MODE=gradio\n');
  chownSync(file, 4321, 4322);
  await writeFileAtomic(file, 'ACESTEP_MODE=api\n');
  const st = statSync(file);
  assert.equal(readFileSync(file, 'utf8'), 'ACESTEP_MODE=api\n');
  assert.deepEqual([st.uid, st.gid], [4321, 4322]);
}));
