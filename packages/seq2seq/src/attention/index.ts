// Attention modules with PyTorch-style parameters (src/attention).
export { AttentionModule } from './attention_module.js';
export { BahdanauAttention } from './bahdanau_attention.js';
export type { BahdanauAttentionOptions } from './bahdanau_attention.js';
export { LuongAttention } from './luong_attention.js';
export type { LuongAttentionOptions, LuongScore } from './luong_attention.js';
export type { AttentionApplyOptions, AttentionResult } from './attention_types.js';
