import { expect, it } from 'vitest';

/** One public function or constructor whose options object must reject unknown keys (see checkOptions). */
export interface OptionCheckCase {
  /** The name its errors start with, e.g. `padSequences` or `CharVocabulary.encode`. */
  fn: string;
  /** Calls it with `options` merged into otherwise valid arguments; may return a promise. */
  call: (options: Record<string, unknown>) => unknown;
  /** A misspelt key and the option it should suggest. */
  typo: [string, string];
  /** The Keras/PyTorch/Python spelling and the option it should suggest, where one exists. */
  foreign?: [string, string];
}

/** One test per case and key: the call fails with `<fn>: unknown option "<key>" — did you mean "<option>"?`. */
export function itRejectsUnknownOptions(cases: readonly OptionCheckCase[]): void {
  for (const { fn, call, typo, foreign } of cases) {
    for (const [key, suggestion] of foreign ? [typo, foreign] : [typo]) {
      it(`${fn} rejects "${key}" and suggests "${suggestion}"`, async () => {
        let error: unknown;
        try {
          await call({ [key]: 1 });
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(TypeError);
        expect((error as Error).message).toBe(
          `${fn}: unknown option "${key}" — did you mean "${suggestion}"?`,
        );
      });
    }
  }
}
