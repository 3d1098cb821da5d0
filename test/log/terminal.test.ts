/**
 * One writer owns the terminal (issue 12): with `--once` on a TTY, log lines appear whole above the
 * progress line, and the progress line stays the last line on screen. The screen is rebuilt from
 * the bytes written, as a terminal would show them (carriage return, erase-line, newline).
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createProgress } from '../../src/engine/progress.js';
import { createLogger } from '../../src/log/logger.js';
import { Terminal } from '../../src/log/terminal.js';

function tty(): { stream: NodeJS.WriteStream; bytes: () => string } {
  const s = new PassThrough();
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString('utf8')));
  Object.assign(s, { isTTY: true, columns: 120 });
  return { stream: s as unknown as NodeJS.WriteStream, bytes: () => out };
}

const ESC = '\x1b';

/** The lines a terminal shows after these bytes (colours ignored). */
function screen(bytes: string): string[] {
  const lines: string[] = [''];
  let col = 0;
  const text = bytes.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '');
  for (let i = 0; i < text.length; i++) {
    const row = lines.length - 1;
    if (text.startsWith('\x1b[K', i)) {
      lines[row] = lines[row]!.slice(0, col);
      i += 2;
    } else if (text[i] === '\r') col = 0;
    else if (text[i] === '\n') {
      lines.push('');
      col = 0;
    } else {
      const line = lines[row]!;
      lines[row] = line.slice(0, col) + text[i] + line.slice(col + 1);
      col++;
    }
  }
  return lines;
}

test('log lines appear whole above the progress line, which stays at the bottom', async () => {
  const t = tty();
  const terminal = new Terminal({ logs: t.stream, status: t.stream });
  const progress = createProgress(t.stream, terminal);
  const log = createLogger({ pretty: true, colorize: false, terminal, level: 'info' });
  progress.plan(2, 3 * 1048576);
  progress.start('a/big.bin', 2 * 1048576);
  log.info({ pair: 'docs' }, 'first message while a transfer runs');
  progress.finish('a/big.bin');
  log.warn('second message');
  progress.start('b.txt', 1048576);
  await new Promise((r) => setImmediate(r));

  const shown = screen(t.bytes());
  const first = shown.find((l) => l.includes('first message while a transfer runs'));
  const second = shown.find((l) => l.includes('second message'));
  assert.ok(first && second, `both log lines are on screen:\n${shown.join('\n')}`);
  for (const l of [first, second]) assert.doesNotMatch(l, /items/, `a log line mixed with progress: ${l}`);
  assert.match(first, /INFO.*first message/);
  assert.match(shown.at(-1)!, /^1\/2 items, 2\.0 MiB\/3\.0 MiB/, shown.join('\n'));
  assert.equal(shown.filter((l) => /items/.test(l)).length, 1, 'one progress line on screen');

  progress.close();
  log.info('after the pass');
  const end = screen(t.bytes());
  assert.ok(!end.some((l) => /items/.test(l)), `the progress line is gone:\n${end.join('\n')}`);
  assert.ok(end.some((l) => /INFO.*after the pass/.test(l)));
});
