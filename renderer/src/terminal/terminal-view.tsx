import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';

/** A live output source: call `write` for every chunk; return a function that stops it. */
export type TerminalSource = (write: (chunk: string) => void) => (() => void) | void;

export interface TerminalButton {
  label: string;
  onClick(): void;
  disabled?: boolean;
  tone?: 'primary' | 'danger';
}

export interface TerminalViewProps {
  title?: string;
  /** Live output (e.g. from `eventSource(listen, 'build.output', ...)`); re-subscribed when it changes. */
  source?: TerminalSource;
  /** Or the output so far as an array that only grows: each render writes just the new chunks. */
  chunks?: readonly string[];
  /** Buttons in the title bar (Cancel, Rebuild, ...). */
  buttons?: readonly TerminalButton[];
  /** Shown over the empty terminal until the first output arrives. */
  emptyText?: string;
  /** Keystrokes typed into the terminal (for an interactive console such as a QEMU serial line). */
  onInput?(data: string): void;
  /** Change this value to clear the terminal (e.g. a new build id). */
  resetKey?: unknown;
  /** Height in text rows. */
  rows?: number;
}

/**
 * xterm.js view for live output: the builder's make log, a test VM's serial console. Resizes with its
 * box; keeps up to 5000 lines of scrollback.
 */
export function TerminalView({
  title,
  source,
  chunks,
  buttons,
  emptyText,
  onInput,
  resetKey,
  rows = 20,
}: TerminalViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const written = useRef(0);
  const [empty, setEmpty] = useState(true);
  const inputHandler = useRef(onInput);
  inputHandler.current = onInput;

  // Create the terminal once.
  useEffect(() => {
    const t = new Terminal({
      convertEol: true,
      disableStdin: !inputHandler.current,
      scrollback: 5000,
      rows,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      theme: { background: '#0f1720', foreground: '#d7e0ea', cursor: '#7cc4ff' },
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(box.current!);
    const refit = () => {
      // Fitting a hidden element throws or yields zero columns; skip until it is visible.
      if (box.current && box.current.offsetWidth > 0) {
        try {
          fit.fit();
        } catch {
          /* not laid out yet */
        }
      }
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(box.current!);
    const typing = t.onData((data) => inputHandler.current?.(data));
    term.current = t;
    return () => {
      typing.dispose();
      observer.disconnect();
      t.dispose();
      term.current = null;
    };
  }, [rows]);

  // Clear on reset.
  useEffect(() => {
    term.current?.reset();
    written.current = 0;
    setEmpty(true);
  }, [resetKey]);

  // Live source.
  useEffect(() => {
    if (!source) return;
    const stop = source((chunk) => {
      term.current?.write(chunk);
      setEmpty(false);
    });
    return () => {
      if (typeof stop === 'function') stop();
    };
  }, [source]);

  // Accumulated chunks: write only what is new.
  useEffect(() => {
    if (!chunks || !term.current) return;
    if (chunks.length < written.current) {
      term.current.reset();
      written.current = 0;
    }
    for (let i = written.current; i < chunks.length; i++) term.current.write(chunks[i]!);
    if (chunks.length > 0) setEmpty(false);
    written.current = chunks.length;
  }, [chunks]);

  return (
    <div className="terminal-panel card">
      <div className="terminal-bar">
        <span className="terminal-title">{title ?? 'Output'}</span>
        <span className="terminal-buttons">
          {buttons?.map((b) => (
            <button
              key={b.label}
              type="button"
              className={`button button-small${b.tone ? ` button-${b.tone}` : ''}`}
              disabled={b.disabled}
              onClick={b.onClick}
            >
              {b.label}
            </button>
          ))}
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => {
              term.current?.clear();
            }}
          >
            Clear
          </button>
        </span>
      </div>
      <div className="terminal-wrap">
        <div ref={box} className="terminal-box" />
        {empty && emptyText && <div className="terminal-empty">{emptyText}</div>}
      </div>
    </div>
  );
}
