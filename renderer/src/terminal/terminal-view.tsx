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
  /** Change this value to move the keyboard focus into the terminal (e.g. a VM just started). */
  focusKey?: unknown;
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
  focusKey,
}: TerminalViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const written = useRef(0);
  const [empty, setEmpty] = useState(true);
  const [focused, setFocused] = useState(false);
  const inputHandler = useRef(onInput);
  inputHandler.current = onInput;
  const interactive = Boolean(onInput);

  // Create the terminal once.
  useEffect(() => {
    const t = new Terminal({
      convertEol: true,
      disableStdin: !inputHandler.current,
      // The serial console speaks VT100/ANSI: xterm.js already sends arrows as ESC [ A…, F5-F12 as
      // ESC [ 15~…, Esc as ESC, Ctrl-B as 0x02, which is what iPXE (src/core/getkey.c) and SeaBIOS expect.
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
    // Tab goes to the VM (menus use it), so Shift+Tab is the way out: no keyboard trap (WCAG 2.1.2).
    t.attachCustomKeyEventHandler((e) => !(e.key === 'Tab' && e.shiftKey));
    // xterm.js's own focus events: the panel shows a clear ring and "typing goes to the VM" while focused.
    const focusIn = () => setFocused(true);
    const focusOut = () => setFocused(false);
    t.textarea?.addEventListener('focus', focusIn);
    t.textarea?.addEventListener('blur', focusOut);
    term.current = t;
    return () => {
      t.textarea?.removeEventListener('focus', focusIn);
      t.textarea?.removeEventListener('blur', focusOut);
      typing.dispose();
      observer.disconnect();
      t.dispose();
      term.current = null;
    };
  }, [rows]);

  useEffect(() => {
    term.current?.textarea?.setAttribute('aria-label', `${title ?? 'Output'} (keyboard input)`);
  }, [title, rows]);

  // Keystrokes reach onInput only while it is set (a running VM); the terminal is created before that.
  useEffect(() => {
    if (term.current) term.current.options.disableStdin = !interactive;
  }, [interactive]);

  useEffect(() => {
    if (focusKey !== undefined && interactive) term.current?.focus();
  }, [focusKey, interactive]);

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
    <div
      className={`terminal-panel card${interactive ? ' terminal-interactive' : ''}${focused ? ' terminal-focused' : ''}`}
      data-terminal-focused={focused ? 'true' : 'false'}
    >
      <div className="terminal-bar">
        <span className="terminal-title">{title ?? 'Output'}</span>
        {interactive && (
          <span className="terminal-hint" role="status">
            {focused ? 'Keys go to the VM · Shift+Tab leaves' : 'Click the console to type'}
          </span>
        )}
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
      <div className="terminal-wrap" onClick={() => interactive && term.current?.focus()}>
        <div ref={box} className="terminal-box" />
        {empty && emptyText && <div className="terminal-empty">{emptyText}</div>}
      </div>
    </div>
  );
}
