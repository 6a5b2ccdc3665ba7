import { useState } from 'react';

/**
 * Text from the wire (host names, syslog lines, errors, vendor strings) shown on one line, cut with an
 * ellipsis by CSS at `maxWidth`; the full text is in the tooltip (hover) and a click or Enter/Space
 * unfolds it in place (keyboard and touch users have no hover). The services already clean and cap these
 * values (services/core/clean-text.ts); this only keeps one long value from stretching a table.
 */
export function LongText({
  text,
  maxWidth = '28ch',
  className,
}: {
  text: string;
  maxWidth?: string;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const toggle = (): void => setOpen((o) => !o);
  return (
    <span
      className={`long-text${open ? ' long-text-open' : ''}${className ? ` ${className}` : ''}`}
      style={open ? undefined : { maxWidth }}
      title={text}
      role="button"
      tabIndex={0}
      aria-expanded={open}
      onClick={toggle}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggle();
        }
      }}
    >
      {text}
    </span>
  );
}
