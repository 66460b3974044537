import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../src/core/fs-atomic';

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
