"use client";

import { useContext, useEffect, useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Icons } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { useI18n } from "@/lib/i18n/client";
import { ColumnVisibilityContext } from "./data-table";
import { useDataTableUrl } from "./use-url-state";

const SEARCH_DELAY_MS = 300;

/**
 * Free-text search (URL `q`), debounced, and the table's actions on the first row; the filters and a reset
 * button on a row of their own, so a long set of filters never leaves one of them stranded beside the search.
 * On a phone the filters fold behind a button that says how many are applied.
 */
export function DataTableToolbar({
  searchLabel,
  children,
  filterKeys = [],
  actions,
}: {
  searchLabel: string;
  children?: ReactNode;
  /** URL parameters the reset button clears besides `q`. */
  filterKeys?: string[];
  actions?: ReactNode;
}) {
  const { t } = useI18n();
  const { params, update } = useDataTableUrl();
  const current = params.get("q") ?? "";
  const [text, setText] = useState(current);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersId = useId();
  // When the URL changes from elsewhere (reset button, back button), show its value.
  const [shownFor, setShownFor] = useState(current);
  if (shownFor !== current) {
    setShownFor(current);
    setText(current);
  }
  useEffect(() => {
    if (text === current) return;
    const timer = setTimeout(() => update({ q: text.trim() || null }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, current, update]);

  const applied = filterKeys.filter((key) => params.get(key)).length;
  const reset =
    current !== "" || applied > 0 ? (
      <Button
        variant="ghost"
        size="sm"
        onClick={() => update(Object.fromEntries(["q", ...filterKeys].map((key) => [key, null])))}
      >
        {t("common.reset")}
      </Button>
    ) : null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Input
          type="search"
          aria-label={searchLabel}
          placeholder={searchLabel}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-auto min-w-40 flex-1 sm:max-w-xs"
        />
        {children ? (
          <Button
            variant="secondary"
            className="sm:hidden"
            aria-expanded={filtersOpen}
            aria-controls={filtersId}
            onClick={() => setFiltersOpen((open) => !open)}
          >
            <Icons.filter className="text-gray-500" />
            {t("common.filter")}
            {applied > 0 ? (
              <span className="rounded-full bg-gray-100 px-1.5 text-xs text-gray-700 tabular">
                <span aria-hidden="true">{applied}</span>
                <span className="sr-only">{t("table.filtersApplied", { count: applied })}</span>
              </span>
            ) : null}
          </Button>
        ) : (
          reset
        )}
        {actions ? <div className="ml-auto flex items-center gap-2">{actions}</div> : null}
      </div>
      {children ? (
        <div
          id={filtersId}
          className={cn(
            "flex-col items-stretch gap-2 sm:flex sm:flex-row sm:flex-wrap sm:items-center",
            filtersOpen ? "flex" : "hidden",
          )}
        >
          {children}
          {reset}
        </div>
      ) : null}
    </div>
  );
}

/** The bordered box of one filter: its name, then the control. */
const FILTER_BOX =
  "flex h-9 min-w-0 items-center rounded-md bg-white text-sm shadow-xs ring-1 ring-gray-300 ring-inset " +
  "focus-within:ring-2 focus-within:ring-brand-600";
const FILTER_NAME = "shrink-0 pl-3 whitespace-nowrap text-gray-500";
const FILTER_CONTROL =
  "h-9 min-w-0 flex-1 border-0 bg-transparent text-sm text-gray-900 focus:ring-0 focus:outline-none";

/** A select bound to one URL parameter ("" = all). */
export function DataTableSelectFilter({
  param,
  label,
  options,
}: {
  param: string;
  label: string;
  options: Array<{ value: string; label: string }>;
}) {
  const { t } = useI18n();
  const { params, update } = useDataTableUrl();
  return (
    <label className={FILTER_BOX}>
      <span className={FILTER_NAME}>{label}</span>
      <select
        aria-label={label}
        value={params.get(param) ?? ""}
        onChange={(e) => update({ [param]: e.target.value || null })}
        // Capped so one long option (a rail's full name) cannot widen the whole row; it shows in the list.
        className={cn(FILTER_CONTROL, "truncate pr-8 pl-2 sm:max-w-44 sm:flex-none")}
      >
        <option value="">{t("common.all")}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function DateInput({ param, label }: { param: string; label: string }) {
  const { params, update } = useDataTableUrl();
  return (
    <input
      type="date"
      aria-label={label}
      value={params.get(param) ?? ""}
      onChange={(e) => update({ [param]: e.target.value || null })}
      className={cn(FILTER_CONTROL, "px-2 sm:flex-none")}
    />
  );
}

/** Two date inputs in one box ("Created 2026-01-01 – 2026-01-31"), each bound to its URL parameter. */
export function DataTableDateRangeFilter({
  label,
  from,
  to,
}: {
  label: string;
  from: { param: string; label: string };
  to: { param: string; label: string };
}) {
  return (
    <div role="group" aria-label={label} className={FILTER_BOX}>
      <span className={FILTER_NAME}>{label}</span>
      <DateInput param={from.param} label={from.label} />
      <span aria-hidden="true" className="text-gray-400">
        –
      </span>
      <DateInput param={to.param} label={to.label} />
    </div>
  );
}

/**
 * A text input bound to one URL parameter (an exact value such as a reference or a recipient), applied after
 * a pause in typing like the search box; empty removes the filter.
 */
export function DataTableTextFilter({
  param,
  label,
  placeholder,
}: {
  param: string;
  label: string;
  placeholder?: string;
}) {
  const { params, update } = useDataTableUrl();
  const current = params.get(param) ?? "";
  const [text, setText] = useState(current);
  // When the URL changes from elsewhere (reset button, back button), show its value.
  const [shownFor, setShownFor] = useState(current);
  if (shownFor !== current) {
    setShownFor(current);
    setText(current);
  }
  useEffect(() => {
    if (text.trim() === current) return;
    const timer = setTimeout(() => update({ [param]: text.trim() || null }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, current, param, update]);
  return (
    <label className={FILTER_BOX}>
      <span className={FILTER_NAME}>{label}</span>
      <input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        className={cn(FILTER_CONTROL, "px-2 placeholder:text-gray-400 sm:w-40 sm:flex-none")}
      />
    </label>
  );
}

/** A menu of checkboxes showing or hiding the named columns of the surrounding <DataTable>. */
export function DataTableColumnToggle({
  label,
  columns,
}: {
  label: string;
  /** The columns the reader may hide, by column id, with their names. */
  columns: Array<{ id: string; label: string }>;
}) {
  const visibility = useContext(ColumnVisibilityContext);
  if (!visibility) throw new Error("DataTableColumnToggle must be used inside <DataTable>");
  return (
    <details className="relative">
      <summary
        className={cn(
          "inline-flex h-9 cursor-pointer list-none items-center gap-2 rounded-md bg-white px-3.5 text-sm font-medium",
          "text-gray-900 ring-1 ring-gray-300 ring-inset hover:bg-gray-50 [&::-webkit-details-marker]:hidden",
        )}
      >
        {label}
      </summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-56 space-y-1 rounded-md bg-white p-2 text-sm shadow-lg ring-1 ring-gray-200">
        <legend className="sr-only">{label}</legend>
        {columns.map((column) => (
          <label key={column.id} className="flex items-center gap-2 rounded px-2 py-1 hover:bg-gray-50">
            <input
              type="checkbox"
              checked={visibility.isVisible(column.id)}
              onChange={(e) => visibility.setVisible(column.id, e.target.checked)}
              className="rounded border-gray-300 text-brand-600 focus:ring-brand-600"
            />
            {column.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
