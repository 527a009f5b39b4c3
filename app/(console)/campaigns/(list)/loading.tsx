/**
 * Shown while the campaign list loads on the server. It sits in the `(list)` group so that it covers only this
 * page: a loading boundary makes Next send the response (status 200) before the page runs, so pages that may
 * answer 403 (new, edit) must not be below one.
 */
export default function Loading() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true">
      <div className="h-8 w-48 rounded bg-gray-200" />
      <div className="h-10 w-full rounded bg-gray-100" />
      <div className="h-64 w-full rounded-lg bg-gray-100" />
    </div>
  );
}
