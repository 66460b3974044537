// What a request looks like per server generation, decided by the capability table: the basic-fields filter
// (fullParameters), uploads, /format_input's param_obj (formatParamObj) and the blocking /release_task
// timeout (blockingRelease).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AceStepClient, AceStepError, CAPABILITIES, capabilitiesOf, serverKindLabel, type Flavour } from '../../../src/core/api';
import { BASIC_FIELDS, formatInputBody, shapeRelease } from '../../../src/core/api/request-shape';
import { fake } from './helpers';

const FLAVOURS = Object.keys(CAPABILITIES) as Flavour[];
const request = {
  params: { prompt: 'ambient', lyrics: '[inst]', bpm: 90, model: 'acestep-v15-base', use_cot_caption: true, gone: undefined, none: null },
  files: { src_audio: '/somewhere/a.wav', reference_audio: '' },
};

describe('release_task shaping follows the capability table', () => {
  for (const flavour of FLAVOURS) {
    const full = capabilitiesOf(flavour).fullParameters;
    test(`${flavour}: ${full ? 'every field and the upload are sent' : 'basic fields only, no uploads, with warnings'}`, () => {
      const shaped = shapeRelease(request, flavour);
      if (full) {
        assert.deepEqual(shaped.params, { prompt: 'ambient', lyrics: '[inst]', bpm: 90, model: 'acestep-v15-base', use_cot_caption: true });
        assert.deepEqual(shaped.files, [['src_audio', '/somewhere/a.wav']]);
        assert.deepEqual(shaped.warnings, []);
      } else {
        assert.deepEqual(shaped.params, { prompt: 'ambient', lyrics: '[inst]', bpm: 90 });
        assert.ok(Object.keys(shaped.params).every(k => BASIC_FIELDS.has(k)));
        assert.deepEqual(shaped.files, []);
        assert.equal(shaped.warnings.length, 2);
        assert.match(shaped.warnings[0], /model, use_cot_caption/);
        assert.match(shaped.warnings[1], /src_audio/);
      }
    });
  }

  test('undefined and null are never sent; empty file paths are no upload', () => {
    const shaped = shapeRelease({ params: { a: undefined, b: null, prompt: '' }, files: { src_audio: '' } }, 'W');
    assert.deepEqual(shaped.params, { prompt: '' });
    assert.deepEqual(shaped.files, []);
  });

  test('S keeps its uploads although they do not work there (behaviour as before the table)', () => {
    assert.equal(capabilitiesOf('S').uploads, false);
    assert.deepEqual(shapeRelease(request, 'S').files, [['src_audio', '/somewhere/a.wav']]);
  });
});

describe('format_input shaping follows the capability table', () => {
  const input = { prompt: 'rock', lyrics: 'la', temperature: 0.7, duration: 95, bpm: 128, key: 'A minor', timeSignature: '4', language: 'de' };
  for (const flavour of FLAVOURS) {
    test(`${flavour}: ${capabilitiesOf(flavour).formatParamObj ? 'with' : 'without'} param_obj`, () => {
      const body = formatInputBody(input, flavour);
      assert.deepEqual({ prompt: body.prompt, lyrics: body.lyrics, temperature: body.temperature }, { prompt: 'rock', lyrics: 'la', temperature: 0.7 });
      if (capabilitiesOf(flavour).formatParamObj) {
        assert.deepEqual(body.param_obj, { duration: 95, bpm: 128, key: 'A minor', time_signature: '4', language: 'de' });
      } else {
        assert.equal('param_obj' in body, false);
      }
    });
  }

  test('no hints, no param_obj; missing prompt and lyrics are sent empty', () => {
    assert.deepEqual(formatInputBody({}, 'U'), { prompt: '', lyrics: '' });
  });

  test('sent as shaped: the fake G gets no param_obj, the fake S gets it', async t => {
    for (const flavour of ['G', 'S'] as const) {
      const server = await fake(t, { flavour });
      const client = new AceStepClient({ baseUrl: server.url });
      t.after(() => client.close());
      await client.formatInput({ prompt: 'rock', bpm: 120 }, { flavour });
      const body = JSON.parse(server.requests.at(-1)!.body);
      assert.equal('param_obj' in body, capabilitiesOf(flavour).formatParamObj);
    }
  });
});

describe('the release timeout follows blockingRelease', () => {
  test('a blocking server gets the long timeout; told it is not blocking, the short one', async t => {
    const server = await fake(t, { flavour: 'G', generationMs: 300 });
    const client = new AceStepClient({ baseUrl: server.url, timeouts: { releaseMs: 100, blockingReleaseMs: 10_000 } });
    t.after(() => client.close());
    assert.equal(capabilitiesOf('G').blockingRelease, true);
    const ans = await client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'G' });
    assert.equal(ans.status, 'succeeded');
    // The same server, described as one that answers at once: the short timeout applies and fires.
    assert.equal(capabilitiesOf('W').blockingRelease, false);
    await assert.rejects(client.releaseTask({ params: { prompt: 'x' }, files: {} }, { flavour: 'W' }),
      (e: unknown) => e instanceof AceStepError && e.kind === 'timeout' && /release_task/.test(e.message));
  });
});

describe('server kinds in words', () => {
  test('every generation has a label, never the bare letter; an unknown tag shows as it is', () => {
    for (const flavour of FLAVOURS) {
      const label = serverKindLabel(flavour);
      assert.ok(label.length > 3 && label !== flavour, `${flavour}: ${label}`);
    }
    assert.match(serverKindLabel('U'), /standalone API/);
    assert.equal(serverKindLabel('X' as Flavour), 'X');
    assert.throws(() => capabilitiesOf('X' as Flavour), /Unknown ACE-Step server generation: X/);
  });
});
