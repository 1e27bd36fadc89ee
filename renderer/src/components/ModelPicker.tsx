/**
 * A searchable model picker (combobox): type to narrow the list, ↑/↓ to move, Enter to pick, Esc
 * to close. Replaces a native select, which with a 1000-model repository is a list to scroll through.
 */
import { useId, useMemo, useRef, useState } from 'react';

/** Matches listed at once; typing narrows the rest (a list longer than this is scrolled past, not read). */
const MAX_LISTED = 200;

export function ModelPicker(props: {
  value: string | null;
  options: readonly string[];
  onChange(name: string): void;
  testId: string;
  label: string;
}) {
  const { value, options, onChange, testId } = props;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [hi, setHi] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = q ? options.filter((o) => o.toLowerCase().includes(q)) : options;
    // An exact name first: typing a full name and Enter picks it even when others contain it.
    const exact = all.findIndex((o) => o.toLowerCase() === q);
    return exact > 0 ? [all[exact], ...all.slice(0, exact), ...all.slice(exact + 1)] : all;
  }, [options, query]);
  const listed = matches.slice(0, MAX_LISTED);

  const pick = (name: string) => {
    onChange(name);
    setOpen(false);
    setQuery('');
  };
  const move = (to: number) => {
    const i = Math.max(0, Math.min(listed.length - 1, to));
    setHi(i);
    listRef.current?.children[i]?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <div className="picker">
      <input
        type="text"
        role="combobox"
        aria-label={props.label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && listed[hi] ? `${listId}-${hi}` : undefined}
        placeholder={value ?? (options.length ? `Search ${options.length} models` : 'No READY model')}
        value={open ? query : (value ?? '')}
        data-testid={testId}
        data-value={value ?? ''}
        onFocus={() => {
          setOpen(true);
          setQuery('');
          setHi(0);
        }}
        onBlur={() => setOpen(false)}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setHi(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') move(hi + 1);
          else if (e.key === 'ArrowUp') move(hi - 1);
          else if (e.key === 'Enter' && listed[hi]) pick(listed[hi]);
          else if (e.key === 'Escape') {
            setOpen(false);
            setQuery('');
          } else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      {open && (
        <ul className="picker-list" role="listbox" id={listId} ref={listRef} data-testid={`${testId}-list`}>
          {listed.map((name, i) => (
            <li
              key={name}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={name === value}
              className={`${i === hi ? 'hi' : ''} ${name === value ? 'current' : ''}`}
              // mousedown, not click: the input's blur would close the list before a click lands
              onMouseDown={(e) => {
                e.preventDefault();
                pick(name);
              }}
              onMouseEnter={() => setHi(i)}
              data-testid={`${testId}-option`}
              data-value={name}
            >
              {name}
            </li>
          ))}
          {matches.length > listed.length && (
            <li className="muted small picker-more" aria-disabled="true">
              {matches.length - listed.length} more: type to narrow
            </li>
          )}
          {!matches.length && (
            <li className="muted small picker-more" aria-disabled="true">
              No READY model matches “{query}”
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
