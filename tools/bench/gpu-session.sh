#!/usr/bin/env bash
# The rnn-layers GPU measurements in one command, for a GPU machine without Node.js
# (../shared/gpu/README.md). Prepare here:
#   ../shared/gpu/prepare.sh tools/bench/webgpu-check.ts tools/bench/webgpu-recurrence.ts tools/bench/rnn.ts
# then run there from the project root, with .gpu/ carried along:  OUT=/some/dir bash tools/bench/gpu-session.sh
# Writes JSON lines to $OUT: the adapter check, the large-configuration LSTM (rnnkit on WebGPU,
# tfjs-layers on WebGPU and PyTorch cuDNN in the same run), the configuration for each cell,
# the fused recurrence alone (the tfjs-core reference is known from earlier runs: --reference no), and
# the fused kernels alone over several sequence lengths
# (a fixed cost per BPTT call, not per step, would show as the same excess at every length).
set -u
# Worst case 45 + 170 + 3·55 + 4·25 + 3·30 = 570 s: one device call (600 s at most); results are
# appended step by step, so a run cut short keeps what it finished, most important first.
out=${OUT:?set OUT to a folder for the results}
node_run() { local limit=$1; shift; timeout "$limit" bash .gpu/run.sh "$@"; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/gpu.txt" 2>&1
python3 -c 'import torch; print(torch.__version__, torch.version.cuda, torch.backends.cudnn.version(), torch.cuda.get_device_name(0))' >> "$out/gpu.txt" 2>&1
node_run 45 .gpu/webgpu-check.mjs 4096 > "$out/check.jsonl" 2> "$out/check.err"
node_run 170 .gpu/rnn.mjs --backend webgpu --cell lstm --batch 64 --time 200 --input 128 --hidden 512 \
  --warmup 1 --runs 3 --pytorch=python3 --json >> "$out/rnn.jsonl" 2>> "$out/rnn.err"
for cell in lstm gru rnn; do
  node_run 55 .gpu/rnn.mjs --backend webgpu --cell "$cell" --batch 32 --time 100 --input 32 --hidden 128 \
    --warmup 1 --runs 3 --pytorch=python3 --json >> "$out/rnn.jsonl" 2>> "$out/rnn.err"
done
for time in 50 100 200 400; do
  node_run 25 .gpu/webgpu-recurrence.mjs --cell lstm --batch 64 --time "$time" --input 128 --hidden 512 --runs 5 --reference no \
    >> "$out/sweep.jsonl" 2>> "$out/sweep.err"
done
for cell in lstm gru rnn; do
  node_run 30 .gpu/webgpu-recurrence.mjs --cell "$cell" --batch 64 --time 200 --input 128 --hidden 512 --runs 5 --reference no \
    >> "$out/recurrence.jsonl" 2>> "$out/recurrence.err"
done
tail -c 3000 "$out"/*.err
cat "$out/gpu.txt" "$out"/*.jsonl | cut -c1-600
