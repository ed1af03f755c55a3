/**
 * The sacreBLEU release whose BLEU and chrF this module reproduces, and which its signatures name
 * (`version:2.6.0`). The fixtures were made by tools/fixtures/seq2seq_metrics.py from sacreBLEU's source
 * at commit f615c7286d4d (one commit after tag v2.6.0, no metric changes).
 */
export const SACREBLEU_VERSION = '2.6.0';
