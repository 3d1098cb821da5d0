import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_SECRET, withHarness } from './harness.js';

test('no log line written during a client run holds a token, a code or the client secret', async () => {
  await withHarness(
    { tokenTtl: 1 },
    async (h) => {
      await h.login();
      const t1 = JSON.parse(readFileSync(h.tokenFile, 'utf8')) as {
        accessToken: string;
        refreshToken: string;
      };
      await h.fault({ operation: 'list', times: 2, status: 503 });
      await h.fault({ operation: 'get', times: 1, status: 401 });
      const up = await h.remote.upload(h.file('a', 300_000), null, 'a.bin');
      await h.fault({ operation: 'upload', times: 1, dropAfterBytes: 100_000 });
      await h.remote.upload(h.file('b', 300_000), null, 'b.bin');
      await h.fault({ operation: 'download-content', times: 1, dropAfterBytes: 100_000 });
      await h.remote.download(up.resourceKey, join(h.dir, 'a.out'));
      await new Promise((r) => setTimeout(r, 1100));
      await h.remote.list(null);
      await h.remote.get(up.resourceKey).catch(() => undefined);
      await h.remote.get('missing').catch(() => undefined);
      writeFileSync(
        h.tokenFile,
        JSON.stringify({ ...t1, accessToken: 'x', refreshToken: 'bogus-refresh', expiresAt: 0 }),
      );
      await h
        .newSession()
        .remote({ kind: 'user', userId: 'me' })
        .list(null)
        .catch(() => undefined);
      const t2 = JSON.parse(readFileSync(h.tokenFile, 'utf8')) as { accessToken: string };
      const secrets = [t1.accessToken, t1.refreshToken, t2.accessToken, CLIENT_SECRET, 'bogus-refresh'];
      assert.ok(h.logLines.length > 5, `the run logged (${h.logLines.length} lines)`);
      for (const line of h.logLines) {
        for (const s of secrets) assert.ok(!line.includes(s), `a secret leaked into: ${line}`);
        assert.ok(!/Bearer\s+(?!\[redacted\])/.test(line), line);
        assert.ok(!/[?&]code=/.test(line), line);
      }
    },
    { login: false },
  );
});
