import { readFileSync } from 'node:fs';

/** Test-only: reads a committed fixture next to this file. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./${name}`, import.meta.url)));
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;
}

export function fixturePath(name: string): string {
  return new URL(`./${name}`, import.meta.url).pathname;
}

export interface SpCase {
  text: string;
  ids: number[];
  pieces: string[];
  decoded: string;
}
export interface SpModelFixture {
  info: { vocab_size: number; unk_id: number; bos_id: number; eos_id: number; pad_id: number; pieces: string[]; scores: number[] };
  cases: SpCase[];
}
export interface SentencePieceFixture {
  held_out: string[];
  unigram: SpModelFixture;
  bpe: SpModelFixture;
}
