import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEmulatorArgs } from '../../src/emulator/cli.js';
import { withEmu, type Env } from './util.js';

type Mode = 'none' | 'parent' | 'ancestors';
type File = Record<string, unknown> & { fileId: string };

/** /A/B/C holding c.txt, and /X (names tagged, one tree per change): the folders watched. */
interface Tree {
  ids: Record<'A' | 'B' | 'C' | 'X', string>;
  file: string;
}

async function build(e: Env, tag: string): Promise<Tree> {
  const A = (await e.mkdir(`A${tag}`)).fileId;
  const B = (await e.mkdir('B', A)).fileId;
  const C = (await e.mkdir('C', B)).fileId;
  const X = (await e.mkdir(`X${tag}`)).fileId;
  const up = await e.upload('c.txt', 'one', C);
  assert.equal(up.status, 201, up.text);
  return { ids: { A, B, C, X }, file: (up.body as File).fileId };
}

/** Every watched folder's `modifiedTime`, read with `GET …/files/{id}`. */
async function times(e: Env, t: Tree): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, id] of Object.entries(t.ids)) {
    const r = await e.call('GET', `/files/${id}`);
    assert.equal(r.status, 200, r.text);
    out[name] = String((r.body as File).modifiedTime);
  }
  return out;
}

/** The watched folders whose `modifiedTime` moved while `change` ran. */
async function moved(e: Env, t: Tree, change: () => Promise<void>): Promise<string[]> {
  const before = await times(e, t);
  await sleep(5); // a later millisecond than the folders' own times
  await change();
  const after = await times(e, t);
  return Object.keys(before)
    .filter((k) => before[k] !== after[k])
    .sort();
}

async function ok(p: Promise<{ status: number; text: string }>, status: number): Promise<void> {
  const r = await p;
  assert.equal(r.status, status, r.text);
}

const CHANGES: {
  what: string;
  run: (e: Env, t: Tree) => Promise<void>;
  expect: Record<Mode, string[]>;
}[] = [
  {
    what: 'a new file uploaded into C',
    run: (e, t) => ok(e.upload('new.txt', 'n', t.ids.C), 201),
    expect: { none: [], parent: ['C'], ancestors: ['A', 'B', 'C'] },
  },
  {
    what: 'c.txt overwritten',
    run: (e, t) => ok(e.upload('c.txt', 'two!', t.ids.C, { overwrite: true }), 201),
    expect: { none: [], parent: ['C'], ancestors: ['A', 'B', 'C'] },
  },
  {
    what: 'c.txt renamed',
    run: (e, t) => ok(e.call('POST', `/files/${t.file}/rename`, { fileName: 'd.txt' }), 200),
    expect: { none: [], parent: ['C'], ancestors: ['A', 'B', 'C'] },
  },
  {
    what: 'a folder created in C',
    run: (e, t) => ok(e.call('POST', `/files/${t.ids.C}/createfolder`, { fileName: 'D' }), 201),
    expect: { none: [], parent: ['C'], ancestors: ['A', 'B', 'C'] },
  },
  {
    what: 'c.txt deleted to the trash',
    run: (e, t) => ok(e.call('DELETE', `/files/${t.file}`), 204),
    expect: { none: [], parent: ['C'], ancestors: ['A', 'B', 'C'] },
  },
  {
    what: 'c.txt moved out of C into X',
    run: (e, t) => ok(e.call('POST', `/files/${t.file}/move`, { toParentFileId: t.ids.X }), 200),
    expect: { none: [], parent: ['C', 'X'], ancestors: ['A', 'B', 'C', 'X'] },
  },
  {
    what: 'c.txt copied into X',
    run: (e, t) => ok(e.call('POST', `/files/${t.file}/copy`, { toParentFileId: t.ids.X }), 201),
    expect: { none: [], parent: ['X'], ancestors: ['X'] },
  },
  {
    what: 'C moved to the root',
    run: (e, t) => ok(e.call('POST', `/files/${t.ids.C}/move`, { toParentFileId: null }), 200),
    expect: { none: [], parent: ['B'], ancestors: ['A', 'B'] },
  },
];

for (const mode of ['none', 'parent', 'ancestors'] as const) {
  test(`--folder-mtime ${mode}: which folder times move with a change inside /A/B/C`, async () => {
    await withEmu({ folderMtime: mode, timePrecision: 'ms' }, async (e) => {
      for (const [i, c] of CHANGES.entries()) {
        const t = await build(e, String(i));
        assert.deepEqual(await moved(e, t, () => c.run(e, t)), c.expect[mode], c.what);
      }
    });
  });
}

test('folderMtime set at run time through admin/config: the listing shows the folder times at the time of the change', async () => {
  await withEmu({ timePrecision: 'ms' }, async (e) => {
    assert.equal(((await e.admin('GET', 'config')).body as { folderMtime: string }).folderMtime, 'none');
    const t = await build(e, '');
    const bad = await e.admin('POST', 'config', { folderMtime: 'grandparent' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /folderMtime must be one of none\|parent\|ancestors/);
    await ok(e.admin('POST', 'config', { folderMtime: 'ancestors' }), 200);
    await sleep(5);
    const up = await e.upload('new.txt', 'n', t.ids.C);
    assert.equal(up.status, 201, up.text);
    const at = String((up.body as File).createdTime);
    const root = (await e.call('GET', '/files')).body as { files: File[] };
    const byName = Object.fromEntries(root.files.map((f) => [f.fileName, String(f.modifiedTime)]));
    assert.equal(byName.A, at, 'the ancestor at the root, as listed');
    assert.notEqual(byName.X, at, 'a folder outside the change');
    const inB = (await e.call('GET', `/files/${t.ids.B}/children`)).body as { files: File[] };
    assert.deepEqual(
      inB.files.map((f) => [f.fileName, f.modifiedTime]),
      [['C', at]],
    );
  });
});

test('folder times follow --time-precision s: whole seconds, moved by a change a second later', async () => {
  await withEmu({ folderMtime: 'parent' }, async (e) => {
    const t = await build(e, '');
    const before = await times(e, t);
    assert.match(String(before.C), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    await sleep(1100);
    await ok(e.upload('new.txt', 'n', t.ids.C), 201);
    const after = await times(e, t);
    assert.match(String(after.C), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    assert.ok(String(after.C) > String(before.C), `${after.C} after ${before.C}`);
    assert.equal(after.B, before.B);
  });
});

test('--folder-mtime is a flag of the emulator command; a bad value is named', () => {
  assert.deepEqual(parseEmulatorArgs(['--folder-mtime', 'ancestors']), {
    help: false,
    opts: { folderMtime: 'ancestors' },
  });
  assert.deepEqual(parseEmulatorArgs(['--folder-mtime=parent']), {
    help: false,
    opts: { folderMtime: 'parent' },
  });
  const bad = parseEmulatorArgs(['--folder-mtime', 'always']);
  assert.ok('error' in bad);
  assert.match(bad.error, /--folder-mtime: value must be one of none\|parent\|ancestors/);
});
