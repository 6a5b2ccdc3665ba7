/**
 * Sessions, their timelines and files in SQLite (<data dir>/sessions.sqlite, WAL), so history survives a
 * restart. Writes are batched: callers queue changes, and `flush()` (every 500 ms, and before reads)
 * writes them in one transaction, so 200 booting machines cost a few transactions a second, not thousands.
 * Retention: at most `maxSessions` sessions (the longest unseen go first, with their rows) and at most
 * `maxTimelinePerSession` timeline rows per session (oldest first).
 */
import Database from 'better-sqlite3';
import type { ClientSession, SessionFile, TimelineEntry } from '../shared/events.js';

export interface SessionStoreOptions {
  path: string;
  maxSessions?: number;
  maxTimelinePerSession?: number;
  maxFilesPerSession?: number;
}

export class SessionStore {
  private readonly db: Database.Database;
  private readonly dirty = new Map<string, ClientSession>();
  private timelineQueue: { key: string; e: TimelineEntry }[] = [];
  private fileQueue: { key: string; f: SessionFile }[] = [];
  private renames: { from: string; to: string }[] = [];
  private readonly maxSessions: number;
  private readonly maxTimeline: number;
  private readonly maxFiles: number;
  private readonly stmt: Record<string, Database.Statement>;
  private flushes = 0;

  constructor(opts: SessionStoreOptions) {
    this.maxSessions = opts.maxSessions ?? 10_000;
    this.maxTimeline = opts.maxTimelinePerSession ?? 400;
    this.maxFiles = opts.maxFilesPerSession ?? 200;
    this.db = new Database(opts.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, last_seen TEXT NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_seen ON sessions(last_seen);
      CREATE TABLE IF NOT EXISTS timeline (id INTEGER PRIMARY KEY, session_key TEXT NOT NULL, time TEXT NOT NULL,
        kind TEXT NOT NULL, text TEXT NOT NULL, raw TEXT);
      CREATE INDEX IF NOT EXISTS timeline_session ON timeline(session_key, id);
      CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, session_key TEXT NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS files_session ON files(session_key, id);
    `);
    this.stmt = {
      upsert: this.db.prepare(
        'INSERT INTO sessions(key, last_seen, json) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET last_seen = excluded.last_seen, json = excluded.json',
      ),
      get: this.db.prepare('SELECT json FROM sessions WHERE key = ?'),
      list: this.db.prepare('SELECT json FROM sessions ORDER BY last_seen DESC LIMIT ? OFFSET ?'),
      count: this.db.prepare('SELECT COUNT(*) AS n FROM sessions'),
      addTimeline: this.db.prepare(
        'INSERT INTO timeline(session_key, time, kind, text, raw) VALUES (?, ?, ?, ?, ?)',
      ),
      addFile: this.db.prepare('INSERT INTO files(session_key, json) VALUES (?, ?)'),
      timeline: this.db.prepare(
        'SELECT time, kind, text, raw FROM (SELECT * FROM timeline WHERE session_key = ? ORDER BY id DESC LIMIT ?) ORDER BY id',
      ),
      files: this.db.prepare('SELECT json FROM files WHERE session_key = ? ORDER BY id'),
      trimTimeline: this.db.prepare(
        'DELETE FROM timeline WHERE session_key = @key AND id <= (SELECT id FROM timeline WHERE session_key = @key ORDER BY id DESC LIMIT 1 OFFSET @n)',
      ),
      trimFiles: this.db.prepare(
        'DELETE FROM files WHERE session_key = @key AND id <= (SELECT id FROM files WHERE session_key = @key ORDER BY id DESC LIMIT 1 OFFSET @n)',
      ),
      renameSession: this.db.prepare('DELETE FROM sessions WHERE key = ?'),
      renameTimeline: this.db.prepare('UPDATE timeline SET session_key = ? WHERE session_key = ?'),
      renameFiles: this.db.prepare('UPDATE files SET session_key = ? WHERE session_key = ?'),
      oldest: this.db.prepare('SELECT key FROM sessions ORDER BY last_seen ASC LIMIT ?'),
      deleteSession: this.db.prepare('DELETE FROM sessions WHERE key = ?'),
      deleteTimeline: this.db.prepare('DELETE FROM timeline WHERE session_key = ?'),
      deleteFiles: this.db.prepare('DELETE FROM files WHERE session_key = ?'),
    };
  }

  save(s: ClientSession): void {
    this.dirty.set(s.key, s);
  }

  addTimeline(key: string, e: TimelineEntry): void {
    this.timelineQueue.push({ key, e });
  }

  addFile(key: string, f: SessionFile): void {
    this.fileQueue.push({ key, f });
  }

  /** A session first known by IP became its MAC's: move its rows. */
  rename(from: string, to: string): void {
    this.renames.push({ from, to });
  }

  get(key: string): ClientSession | undefined {
    const pending = this.dirty.get(key);
    if (pending) return pending;
    const row = this.stmt.get!.get(key) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as ClientSession) : undefined;
  }

  list(limit = 500, offset = 0): ClientSession[] {
    this.flush();
    return (this.stmt.list!.all(limit, offset) as { json: string }[]).map(
      (r) => JSON.parse(r.json) as ClientSession,
    );
  }

  count(): number {
    this.flush();
    return (this.stmt.count!.get() as { n: number }).n;
  }

  timeline(key: string, limit = 1000): TimelineEntry[] {
    this.flush();
    return (
      this.stmt.timeline!.all(key, limit) as {
        time: string;
        kind: string;
        text: string;
        raw: string | null;
      }[]
    ).map((r) => ({
      time: r.time,
      kind: r.kind as TimelineEntry['kind'],
      text: r.text,
      ...(r.raw ? { raw: r.raw } : {}),
    }));
  }

  files(key: string): SessionFile[] {
    this.flush();
    return (this.stmt.files!.all(key) as { json: string }[]).map((r) => JSON.parse(r.json) as SessionFile);
  }

  /** Writes everything queued in one transaction; returns keys removed by retention. */
  flush(): string[] {
    if (
      this.dirty.size === 0 &&
      this.timelineQueue.length === 0 &&
      this.fileQueue.length === 0 &&
      this.renames.length === 0
    )
      return [];
    const sessions = [...this.dirty.values()];
    const timeline = this.timelineQueue;
    const files = this.fileQueue;
    const renames = this.renames;
    this.dirty.clear();
    this.timelineQueue = [];
    this.fileQueue = [];
    this.renames = [];
    const touched = new Set<string>();
    const removed: string[] = [];
    this.db.transaction(() => {
      for (const r of renames) {
        this.stmt.renameSession!.run(r.from);
        this.stmt.renameTimeline!.run(r.to, r.from);
        this.stmt.renameFiles!.run(r.to, r.from);
      }
      for (const s of sessions) this.stmt.upsert!.run(s.key, s.lastSeen, JSON.stringify(s));
      for (const { key, e } of timeline) {
        this.stmt.addTimeline!.run(key, e.time, e.kind, e.text, e.raw ?? null);
        touched.add(key);
      }
      for (const { key, f } of files) {
        this.stmt.addFile!.run(key, JSON.stringify(f));
        touched.add(key);
      }
      // Trimming costs an index probe per session; do it for busy sessions only every few flushes.
      if (++this.flushes % 4 === 0 || timeline.length > 1000)
        for (const key of touched) {
          this.stmt.trimTimeline!.run({ key, n: this.maxTimeline });
          this.stmt.trimFiles!.run({ key, n: this.maxFiles });
        }
      const n = (this.stmt.count!.get() as { n: number }).n;
      if (n > this.maxSessions) {
        for (const { key } of this.stmt.oldest!.all(n - this.maxSessions) as { key: string }[]) {
          this.stmt.deleteSession!.run(key);
          this.stmt.deleteTimeline!.run(key);
          this.stmt.deleteFiles!.run(key);
          removed.push(key);
        }
      }
    })();
    return removed;
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
