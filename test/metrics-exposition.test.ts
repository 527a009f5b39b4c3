import { describe, expect, it } from "vitest";
import { parseExposition } from "./support/prometheus";
import { renderExposition } from "@/lib/metrics/exposition";

describe("renderExposition", () => {
  it("writes HELP, TYPE and one line per sample, escaping label values and help text", () => {
    const text = renderExposition([
      {
        name: "hongbao_example",
        help: 'A "help" text\\ with a\nnewline',
        type: "gauge",
        samples: [
          { labels: { code: 'sub "quoted"\\ and\nbroken' }, value: 3 },
          { value: Infinity },
          { labels: { a: "1", b: "2" }, value: 0.25 },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP hongbao_example A "help" text\\\\ with a\\nnewline',
        "# TYPE hongbao_example gauge",
        'hongbao_example{code="sub \\"quoted\\"\\\\ and\\nbroken"} 3',
        "hongbao_example +Inf",
        'hongbao_example{a="1",b="2"} 0.25',
        "",
      ].join("\n"),
    );
    // Read back by the independent parser, the label value is the original text.
    const { samples } = parseExposition(text);
    expect(samples[0]?.labels.code).toBe('sub "quoted"\\ and\nbroken');
    expect(samples.map((s) => s.value)).toEqual([3, Infinity, 0.25]);
  });

  it("refuses a metric or label name Prometheus would reject", () => {
    expect(() => renderExposition([{ name: "bad-name", help: "", type: "gauge", samples: [] }])).toThrow();
    expect(() =>
      renderExposition([
        { name: "ok", help: "", type: "gauge", samples: [{ labels: { "1x": "v" }, value: 1 }] },
      ]),
    ).toThrow();
  });
});
