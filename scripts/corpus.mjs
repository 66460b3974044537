// Builds a corpus of .song files from the example songs in an ACE-Step 1.5 checkout or git snapshot
// (examples/text2music/example_NN.json: caption, lyrics, bpm, keyscale, timesignature, language,
// duration), for measuring the lint and the duration estimate against songs written by others.
// The corpus goes to .corpus/ (ignored by git): nothing of it is committed.
//   node scripts/corpus.mjs <ACE-Step checkout or git dir>      (or ACESTEP_REPO=<dir>)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? process.env.ACESTEP_REPO;
if (!source) {
  console.error('usage: node scripts/corpus.mjs <ACE-Step 1.5 checkout or git dir>  (or set ACESTEP_REPO)');
  process.exit(2);
}
const SUB = 'examples/text2music';
const out = path.join(root, '.corpus');

/** The example files as [name, text]: from a work tree when there is one, else from the git HEAD. */
function readExamples() {
  const dir = path.join(source, SUB);
  if (existsSync(dir)) {
    return readdirSync(dir).filter(f => /^example_\d+\.json$/.test(f)).map(f => [f, readFileSync(path.join(dir, f), 'utf8')]);
  }
  const git = (...args) => execFileSync('git', ['-C', source, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return git('ls-tree', '--name-only', `HEAD:${SUB}`).split('\n').filter(f => /^example_\d+\.json$/.test(f))
    .map(f => [f, git('show', `HEAD:${SUB}/${f}`)]);
}

const scalar = v => stringify(v, { lineWidth: 0 }).trimEnd();

function toSong(name, j) {
  const fm = [`title: ${scalar(name)}`];
  if (j.caption) fm.push(`caption: ${scalar(String(j.caption))}`);
  if (typeof j.duration === 'number' && j.duration > 0) fm.push(`duration: ${j.duration}`);
  if (typeof j.bpm === 'number' && j.bpm > 0) fm.push(`bpm: ${j.bpm}`);
  if (j.keyscale) fm.push(`key: ${scalar(String(j.keyscale))}`);
  if (j.timesignature) fm.push(`time_signature: ${scalar(String(j.timesignature))}`);
  if (j.language) fm.push(`language: ${scalar(String(j.language))}`);
  if (typeof j.think === 'boolean') fm.push(`thinking: ${j.think}`);
  return ['---', ...fm, '---', String(j.lyrics ?? '').replace(/\r\n?/g, '\n').trim(), ''].join('\n');
}

const examples = readExamples();
if (!examples.length) { console.error(`no ${SUB}/example_NN.json under ${source}`); process.exit(1); }
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let n = 0;
for (const [file, text] of examples) {
  const name = file.replace(/\.json$/, '');
  try {
    writeFileSync(path.join(out, `${name}.song`), toSong(name, JSON.parse(text)));
    n++;
  } catch (e) {
    console.error(`${file}: ${e.message}`);
  }
}
console.error(`${n} songs written to ${path.relative(root, out) || out}/`);
