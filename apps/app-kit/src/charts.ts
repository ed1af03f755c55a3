import type { TopLevelSpec } from 'vega-lite';

/** A chart as SVG text and PNG bytes. */
export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

/** Renders a vega-lite spec to SVG with vega (no DOM needed in Node) and to PNG with resvg. */
export async function renderChart(
  spec: TopLevelSpec,
  options: { pngScale?: number } = {},
): Promise<RenderedChart> {
  // Loaded on first use: together they take about half a second to import, which predict and evaluate never need.
  const [vega, vegaLite, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: options.pngScale ?? 2 },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
  } finally {
    view.finalize();
  }
}

/**
 * Training curves: one panel per metric (loss, accuracy…), train vs validation, per epoch, from a
 * Keras-shaped history (`{loss: [...], val_loss: [...], acc: [...], val_acc: [...]}`).
 */
export function trainingCurvesSpec(
  history: Record<string, readonly number[]>,
  title = 'Training curves',
): TopLevelSpec {
  const rows: Array<{ epoch: number; metric: string; split: string; value: number }> = [];
  for (const [key, values] of Object.entries(history)) {
    const validation = key.startsWith('val_');
    const metric = validation ? key.slice(4) : key;
    values.forEach((value, i) => {
      if (Number.isFinite(value))
        rows.push({ epoch: i + 1, metric, split: validation ? 'validation' : 'train', value });
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 }, title: 'epoch' },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'split', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** A confusion matrix heat map: rows true labels, columns predicted labels, counts written in the cells. */
export function confusionMatrixSpec(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
  title = 'Confusion matrix',
): TopLevelSpec {
  const rows = matrix.flatMap((row, t) =>
    row.map((count, p) => ({ actual: labels[t] ?? String(t), predicted: labels[p] ?? String(p), count })),
  );
  const size = Math.max(160, Math.min(600, 60 * labels.length));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values: rows },
    width: size,
    height: size,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: [...labels], title: 'predicted' },
      y: { field: 'actual', type: 'nominal', sort: [...labels], title: 'true' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } },
      },
      { mark: { type: 'text', fontSize: 14 }, encoding: { text: { field: 'count', type: 'quantitative' } } },
    ],
  };
}
