import { Card, CardHeader } from "@/components/ui/card";
import { BATCH_COLUMNS } from "@/lib/batches/columns";
import { getI18n } from "@/lib/i18n/server";

/**
 * The upload page's "File format" card (a server component): the columns as BATCH_COLUMNS states them, so the
 * page, the template and the parser cannot drift apart. The header shown is the one the reader's template
 * has; the hint says whether the column is required.
 */
export async function BatchFormatGuide() {
  const { t, locale } = await getI18n();
  return (
    <Card>
      <CardHeader title={t("batches.new.columns.title")} description={t("batches.new.columns.description")} />
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-gray-200 text-sm" data-testid="batch-columns">
          <caption className="sr-only">{t("batches.new.columns.title")}</caption>
          <thead className="bg-gray-50">
            <tr>
              <th scope="col" className="px-5 py-2.5 text-left font-medium whitespace-nowrap text-gray-600">
                {t("batches.new.columns.header")}
              </th>
              <th scope="col" className="px-5 py-2.5 text-left font-medium whitespace-nowrap text-gray-600">
                {t("batches.new.columns.name")}
              </th>
              <th scope="col" className="px-5 py-2.5 text-left font-medium text-gray-600">
                {t("batches.new.columns.hint")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100">
            {BATCH_COLUMNS.map((column) => (
              <tr key={column.field}>
                <th scope="row" className="px-5 py-2.5 text-left align-top font-normal whitespace-nowrap">
                  <code className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-gray-900">
                    {column.header[locale]}
                  </code>
                </th>
                <td className="px-5 py-2.5 align-top whitespace-nowrap text-gray-900">
                  {t(column.labelKey)}
                  {column.required ? (
                    <span aria-hidden="true" className="ml-0.5 text-red-600">
                      *
                    </span>
                  ) : null}
                </td>
                <td className="px-5 py-2.5 align-top text-gray-600">{t(column.hintKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
