import { close, open, read } from 'node:fs';
import type { ServerResponse } from 'node:http';

/**
 * Sends bytes start..end (inclusive) of a file as a response body from at most `buffers` (1 or 2) buffers
 * per download, reused: read a piece into a free buffer, res.write it, and the buffer is free again when
 * the socket has taken it (the write callback). With two buffers the read of the next piece (a thread-pool
 * round trip) runs while the socket takes the current one, so one fast download is not a strict
 * read-then-write alternation; with one, memory per download is one piece whatever the client's speed.
 * fs.createReadStream + pipe (what `send` does) allocates a fresh buffer for every piece, so with many
 * downloads it costs an allocation and a garbage-collection share per piece. Measured in
 * docs/decisions.md, "Performance (issue 18)".
 * Pieces go to the socket strictly in file order: a read finishing early waits for the write before it.
 * A client that goes away stops the reads and closes the file; a read error ends the response abruptly
 * (the status line is already out), which the download tracker reports as aborted.
 */
export function pumpFile(
  res: ServerResponse,
  path: string,
  range: { start: number; end: number },
  pieceBytes: number,
  buffers: 1 | 2 = 1,
): void {
  const total = range.end - range.start + 1;
  if (total <= 0) {
    res.end();
    return;
  }
  let fd: number | undefined;
  /** Next file offset to read. */
  let readPos = range.start;
  let gone = false;
  let failed = false;
  let readsInFlight = 0;
  let writing = false;
  const size = Math.min(pieceBytes, total);
  const free: Buffer[] = [];
  for (let i = 0; i < (total > size ? buffers : 1); i++) free.push(Buffer.allocUnsafeSlow(size));
  /** Pieces asked for, in file order; written from the front once read. */
  const pieces: { buf: Buffer; want: number; read: boolean }[] = [];

  const release = (): void => {
    res.off('close', onClose);
    if (fd !== undefined) close(fd, () => undefined);
    fd = undefined;
  };
  /** Closes the file now, or when the read still in flight comes back (it must not read a reused fd). */
  const stop = (): void => {
    gone = true;
    if (readsInFlight === 0) release();
  };
  const onClose = (): void => stop();
  res.once('close', onClose);
  const fail = (err: Error): void => {
    if (failed) return;
    failed = true;
    stop();
    res.destroy(err);
  };

  const readMore = (): void => {
    while (!gone && !failed && fd !== undefined && free.length > 0 && readPos <= range.end) {
      const piece = { buf: free.pop()!, want: Math.min(size, range.end - readPos + 1), read: false };
      pieces.push(piece);
      readsInFlight++;
      read(fd, piece.buf, 0, piece.want, readPos, (err, n) => {
        readsInFlight--;
        if (gone) return stop();
        if (err) return fail(err);
        if (n !== piece.want) return fail(new Error(`${path} became shorter while it was being sent`));
        piece.read = true;
        writeNext();
      });
      readPos += piece.want;
    }
  };

  const writeNext = (): void => {
    const piece = pieces[0];
    if (writing || gone || failed || !piece?.read) return;
    pieces.shift();
    writing = true;
    const body = piece.want === piece.buf.length ? piece.buf : piece.buf.subarray(0, piece.want);
    res.write(body, (werr) => {
      writing = false;
      if (werr) return stop();
      free.push(piece.buf);
      if (readPos > range.end && pieces.length === 0) {
        release();
        res.end();
        return;
      }
      readMore();
      writeNext();
    });
    readMore(); // the other buffer (if any) fills while the socket takes this one
  };

  readsInFlight++;
  open(path, 'r', (err, opened) => {
    readsInFlight--;
    if (err) return fail(err);
    fd = opened;
    if (gone) return stop();
    readMore();
  });
}
