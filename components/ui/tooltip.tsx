"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cn } from "@/lib/cn";

const MAX_WIDTH_PX = 320; // max-w-xs
const EDGE_PX = 8;

/**
 * Help text shown while the pointer is over the trigger or focus is inside it. The trigger receives the
 * tooltip's id for `aria-describedby`, so screen readers read the text without hovering. Positioned `fixed`
 * so a table's scroll container cannot clip it; it hides on Escape and on scroll (it would drift from its
 * anchor).
 */
export function Tooltip({
  content,
  children,
  className,
}: {
  content: ReactNode;
  children: (describedBy: string) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const anchor = useRef<HTMLSpanElement>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);

  function show() {
    const rect = anchor.current?.getBoundingClientRect();
    if (!rect) return;
    const left = Math.max(EDGE_PX, Math.min(rect.left, window.innerWidth - MAX_WIDTH_PX - EDGE_PX));
    setPosition({ top: rect.bottom, left });
  }

  useEffect(() => {
    if (!position) return;
    const hide = () => setPosition(null);
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") hide();
    };
    window.addEventListener("scroll", hide, true);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("scroll", hide, true);
      window.removeEventListener("keydown", onKey);
    };
  }, [position]);

  return (
    <span
      ref={anchor}
      className={cn("inline-flex min-w-0", className)}
      onPointerEnter={show}
      onPointerLeave={() => setPosition(null)}
      onFocus={show}
      onBlur={() => setPosition(null)}
    >
      {children(id)}
      {/* Padding rather than margin: the pointer can move onto the tooltip without leaving the trigger. */}
      <span
        role="tooltip"
        id={id}
        hidden={!position}
        style={position ? { top: position.top, left: position.left } : undefined}
        className="fixed z-50 pt-1.5"
      >
        <span className="block max-w-xs rounded-md bg-gray-900 px-2.5 py-1.5 text-xs leading-5 font-normal whitespace-normal text-white shadow-lg">
          {content}
        </span>
      </span>
    </span>
  );
}
