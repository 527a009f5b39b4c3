/** Shown inside the console frame while a page loads on the server (Next streams it at once). */
export default function Loading() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true">
      <div className="h-8 w-48 rounded bg-gray-200" />
      <div className="h-10 w-full rounded bg-gray-100" />
      <div className="h-64 w-full rounded-lg bg-gray-100" />
    </div>
  );
}
