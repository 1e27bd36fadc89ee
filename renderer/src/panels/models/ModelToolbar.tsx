/** Search, state filter and sort of the models table (kept in the store across views). */
import { useApp } from '../../state/store';
import { SORT_KEYS, STATE_FILTERS, type SortKey, type StateFilter } from '../../lib/modelRows';

export function ModelToolbar() {
  const query = useApp((s) => s.modelQuery);
  const filter = useApp((s) => s.modelFilter);
  const sort = useApp((s) => s.modelSort);
  const setQuery = useApp((s) => s.setModelQuery);
  const setFilter = useApp((s) => s.setModelFilter);
  const setSort = useApp((s) => s.setModelSort);
  return (
    <div className="mtoolbar">
      <input
        type="search"
        placeholder="Search…"
        title="Model names and failure reasons containing this text"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Search models"
        data-testid="models-search"
      />
      <select
        value={filter}
        onChange={(e) => setFilter(e.target.value as StateFilter)}
        aria-label="State filter"
        data-testid="models-filter"
      >
        {STATE_FILTERS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </select>
      <select
        value={sort}
        onChange={(e) => setSort(e.target.value as SortKey)}
        aria-label="Sort"
        data-testid="models-sort"
      >
        {SORT_KEYS.map((k) => (
          <option key={k.id} value={k.id}>
            {k.label}
          </option>
        ))}
      </select>
    </div>
  );
}
