/**
 * A proxy named in the environment (HTTP_PROXY) carries uploads like every other request: axios
 * honours it, streamed upload bodies included. The proxy here is a small forwarding proxy on loopback that logs what it carried.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { row, sha256, withHarness } from './harness.js';

const MiB = 1024 * 1024;

/** A forwarding proxy for absolute-form `http://` requests; `carried` lists "METHOD path". */
async function forwardingProxy(): Promise<{ server: Server; url: string; carried: string[] }> {
  const carried: string[] = [];
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    carried.push(`${req.method} ${target.pathname}`);
    const up = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, carried };
}

test('with HTTP_PROXY set, uploads (limited or not) go through the proxy and arrive whole', async () => {
  const proxy = await forwardingProxy();
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  process.env.HTTP_PROXY = proxy.url;
  delete process.env.NO_PROXY;
  try {
    await withHarness({}, async (h) => {
      const plain = randomBytes(3 * MiB);
      const paced = randomBytes(MiB);
      await h.remote.upload(h.file('plain', plain), null, 'plain.bin');
      const limited = h.newSession({ bwlimitUp: 4 * MiB }).remote({ kind: 'user', userId: 'me' });
      await limited.upload(h.file('paced', paced), null, 'paced.bin');
      const tree = await h.tree();
      assert.equal(row(tree, 'plain.bin')?.sha256, sha256(plain));
      assert.equal(row(tree, 'paced.bin')?.sha256, sha256(paced));
      assert.equal(
        proxy.carried.filter((c) => /^PUT \/upload\//.test(c)).length,
        2,
        proxy.carried.join('\n'),
      );
    });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await new Promise((r) => proxy.server.close(r));
  }
});
