/**
 * The most parameters one layer may allocate, checked before anything is allocated: a config that says
 * `units: 1e9` (a typo, or a hostile file) fails at once instead of asking for 20 GB. The default,
 * 2^28 floats (1 GiB), is far above any recurrent model rnnkit targets; raise it for bigger layers.
 */
let maxLayerParameters = 2 ** 28;

export function setMaxLayerParameters(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`setMaxLayerParameters: count must be a positive integer, got ${String(count)}`);
  maxLayerParameters = count;
}

export function getMaxLayerParameters(): number {
  return maxLayerParameters;
}

/** Throws before a layer allocates `count` parameters when that is over the limit. */
export function checkParameterBudget(owner: string, count: number): void {
  if (count > maxLayerParameters) {
    const gib = (count * 4) / 2 ** 30;
    throw new Error(
      `${owner}: the layer would have ${count.toLocaleString('en-US')} parameters (${gib.toFixed(1)} GiB), over the limit of ` +
        `${maxLayerParameters.toLocaleString('en-US')}; check its sizes, or raise the limit with setMaxLayerParameters()`,
    );
  }
}
