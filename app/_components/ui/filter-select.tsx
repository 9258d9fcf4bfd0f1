/** A labelled select for GET filter forms: "All" (empty) first, then the options. */
export function FilterSelect({
  label,
  name,
  value,
  options,
  allLabel = 'All',
}: {
  label: string;
  name: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  allLabel?: string;
}) {
  return (
    <label className="text-sm font-medium text-slate-900">
      {label}
      <select name={name} defaultValue={value ?? ''} className="mt-1 block w-full rounded-md border border-slate-400 px-2 py-1.5 text-sm">
        {allLabel ? <option value="">{allLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
