import "server-only";
import { notFound } from "next/navigation";
import { DomainError } from "@/lib/errors";

/** A detail page's read: a NOT_FOUND from the service becomes the console's 404 page; anything else is thrown. */
export function orNotFound<T>(read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
}
