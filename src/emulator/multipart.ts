/**
 * Streaming `multipart/form-data` reader: yields the bytes of the part named `Filedata`
 * (reference §5) as they arrive, other parts are skipped; never holds more than a chunk in memory.
 */
export interface MultipartResult {
  /** The named part was seen and closed by its delimiter. */
  complete: boolean;
  found: boolean;
}

export function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? ((m[1] ?? m[2]) as string) : null;
}

export async function* multipartPart(
  src: AsyncIterable<Buffer>,
  boundary: string,
  result: MultipartResult,
  field = 'Filedata',
): AsyncGenerator<Buffer> {
  const delim = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'seek' | 'after' | 'headers' | 'body' | 'end' = 'seek';
  let mine = false;
  for await (const chunk of src) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (state === 'end') {
        buf = Buffer.alloc(0);
        break;
      }
      if (state === 'seek') {
        const i = buf.indexOf(delim);
        if (i < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delim.length + 1));
          break;
        }
        buf = buf.subarray(i + delim.length);
        state = 'after';
      }
      if (state === 'after') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'end';
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) break;
        buf = buf.subarray(i + 2);
        state = 'headers';
      }
      if (state === 'headers') {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) {
          if (buf.length > 64 * 1024) throw new Error('multipart part headers too large');
          break;
        }
        const head = buf.subarray(0, i).toString('utf8');
        buf = buf.subarray(i + 4);
        const name = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i.exec(head)?.[1];
        mine = name === field && !result.found;
        if (mine) result.found = true;
        state = 'body';
      }
      if (state === 'body') {
        const i = buf.indexOf(delim);
        if (i < 0) {
          const keep = Math.min(buf.length, delim.length - 1);
          const out = buf.subarray(0, buf.length - keep);
          buf = buf.subarray(buf.length - keep);
          if (mine && out.length) yield out;
          break;
        }
        if (mine && i > 0) yield buf.subarray(0, i);
        if (mine) result.complete = true;
        buf = buf.subarray(i + delim.length);
        state = 'after';
      }
    }
  }
}
