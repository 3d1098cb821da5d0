/** Streamed sha256 of a file (memory does not grow with file size). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(absPath: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(absPath, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
