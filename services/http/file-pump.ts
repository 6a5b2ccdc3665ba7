import { close, open, read } from 'node:fs';
import type { ServerResponse } from 'node:http';

/**
 * Sends bytes start..end (inclusive) of a file as a response body with ONE buffer per download, reused:
 * read a piece into it, res.write it, and read the next piece only once the socket has taken the last one
 * (the write callback). fs.createReadStream + pipe (what `send` does) allocates a fresh buffer for every
 * piece and keeps reading one piece ahead of a slow socket, so with many downloads it costs a buffer
 * allocation and a garbage collection share per piece and up to two pieces of memory per download.
 * Here memory per download is one piece, whatever the client's speed; the kernel's socket buffer (which
 * still holds data when the write callback fires) covers the read of the next piece. Measured in
 * docs/decisions.md, "Performance (issue 18)".
 * A client that goes away stops the reads and closes the file; a read error ends the response abruptly
 * (the status line is already out), which the download tracker reports as aborted.
 */
export function pumpFile(
  res: ServerResponse,
  path: string,
  range: { start: number; end: number },
  pieceBytes: number,
): void {
  let fd: number | undefined;
  let pos = range.start;
  let gone = false;
  let reading = false;
  const onClose = (): void => {
    gone = true;
    if (!reading) release(); // waiting on the socket: nothing else will come back to close the file
  };
  res.once('close', onClose);
  const release = (): void => {
    res.off('close', onClose);
    if (fd !== undefined) close(fd, () => undefined);
    fd = undefined;
  };
  const fail = (err: Error): void => {
    release();
    res.destroy(err);
  };
  const total = range.end - range.start + 1;
  if (total <= 0) {
    res.end();
    return;
  }
  const buf = Buffer.allocUnsafeSlow(Math.min(pieceBytes, total));
  const next = (): void => {
    if (gone || fd === undefined) {
      release();
      return;
    }
    const want = Math.min(buf.length, range.end - pos + 1);
    if (want <= 0) {
      release();
      res.end();
      return;
    }
    reading = true;
    read(fd, buf, 0, want, pos, (err, n) => {
      reading = false;
      if (err) return fail(err);
      if (n === 0) return fail(new Error(`${path} became shorter while it was being sent`));
      pos += n;
      if (gone) return release();
      res.write(n === buf.length ? buf : buf.subarray(0, n), (werr) => (werr ? release() : next()));
    });
  };
  reading = true;
  open(path, 'r', (err, opened) => {
    reading = false;
    if (err) return fail(err);
    fd = opened;
    next();
  });
}
