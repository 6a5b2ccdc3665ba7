import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReadyLine, ReadyLineWatcher, type ReadyInfo } from '../../../electron/ready-line.js';

test('parses the ready line the CLI prints', () => {
  const info = parseReadyLine(
    'Bootlab ready: http://127.0.0.1:38225/#token=hrc2O9tQV9IvqCsi4q1zVvNZdHRWOo6m',
  );
  assert.deepEqual(info, {
    url: 'http://127.0.0.1:38225/#token=hrc2O9tQV9IvqCsi4q1zVvNZdHRWOo6m',
    origin: 'http://127.0.0.1:38225',
    token: 'hrc2O9tQV9IvqCsi4q1zVvNZdHRWOo6m',
  });
});

test('refuses lines that are not a loopback UI URL with a token', () => {
  for (const line of [
    'Bootlab ready:',
    'bootlab: tftp failed: Port 69 needs privileges.',
    'Bootlab ready: http://10.0.0.5:8080/#token=abc', // not loopback
    'Bootlab ready: https://127.0.0.1:8080/#token=abc', // the API is plain http on loopback
    'Bootlab ready: http://127.0.0.1:8080/', // no token
    'Bootlab ready: not a url',
    'Info: Bootlab ready: http://127.0.0.1:1/#token=x', // must start the line
  ]) {
    assert.equal(parseReadyLine(line), undefined, line);
  }
});

test('the watcher finds the line across chunk boundaries and CRLF, once, and keeps the other output', () => {
  const found: ReadyInfo[] = [];
  const w = new ReadyLineWatcher((info) => found.push(info), 3);
  w.push('bootlab: syslog failed: port 514 needs privileges.\r\nline two\nBootlab re');
  assert.equal(found.length, 0);
  w.push('ady: http://127.0.0.1:4000/#token=t0k');
  assert.equal(found.length, 0, 'no newline yet: the line may still grow');
  w.push('en\r\nBootlab ready: http://127.0.0.1:5000/#token=other\nlast words\n');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.token, 't0ken');
  assert.equal(found[0]!.origin, 'http://127.0.0.1:4000');
  assert.ok(w.ready);
  // Only the last 3 lines are kept; the first ready line is not among them.
  assert.equal(w.recentOutput(), 'line two\nBootlab ready: http://127.0.0.1:5000/#token=other\nlast words');
});
