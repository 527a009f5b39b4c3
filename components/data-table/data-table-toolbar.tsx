"use client";

import { useEffect, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useI18n } from "@/lib/i18n/client";
import { useDataTableUrl } from "./use-url-state";

const SEARCH_DELAY_MS = 300;

/** Free-text search (URL `q`), debounced, plus the table's filters and a reset button. */
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

  const filtered = current !== "" || filterKeys.some((key) => params.get(key));
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <Input
          type="search"
          aria-label={searchLabel}
          placeholder={searchLabel}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="w-56"
        />
        {children}
        {filtered ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => update(Object.fromEntries(["q", ...filterKeys].map((key) => [key, null])))}
          >
            {t("common.reset")}
          </Button>
        ) : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </div>
  );
}

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
    <select
      aria-label={label}
      value={params.get(param) ?? ""}
      onChange={(e) => update({ [param]: e.target.value || null })}
      className="h-9 rounded-md border-0 bg-white pr-8 pl-3 text-sm text-gray-700 ring-1 ring-gray-300 ring-inset"
    >
      <option value="">
        {label}: {t("common.all")}
      </option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/** A date input bound to one URL parameter (YYYY-MM-DD). */
export function DataTableDateFilter({ param, label }: { param: string; label: string }) {
  const { params, update } = useDataTableUrl();
  return (
    <label className="flex h-9 items-center gap-2 rounded-md bg-white pl-3 text-sm text-gray-500 ring-1 ring-gray-300 ring-inset">
      {label}
      <input
        type="date"
        value={params.get(param) ?? ""}
        onChange={(e) => update({ [param]: e.target.value || null })}
        className="h-9 rounded-r-md border-0 bg-transparent px-2 text-sm text-gray-700"
      />
    </label>
  );
}
