#!/usr/bin/env node
// Warm inference time of onnxruntime-node on one model, for bench/run.sh:
//   node bench/ort_time.js MODEL.onnx THREADS RUNS
// Feeds zeros of the model's input shape (batch 1 where it is symbolic),
// runs once to warm up, then RUNS times; prints the median wall milliseconds
// of a run and the mean CPU milliseconds (user + system, all threads) of one.
// THREADS is intraOpNumThreads (0: onnxruntime's default, all cores).
// onnxruntime-node is found as scripts/ort_run.js finds it ($ORT_NODE_MODULES,
// then <repo>/.cache/ort/node_modules).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

function loadOrt() {
  const dirs = [process.env.ORT_NODE_MODULES,
    path.join(__dirname, '..', '.cache', 'ort', 'node_modules')].filter(Boolean);
  for (const dir of dirs)
    if (fs.existsSync(path.join(dir, 'onnxruntime-node', 'package.json')))
      return createRequire(path.join(dir, 'noop.js'))('onnxruntime-node');
  process.stderr.write('ort_time: onnxruntime-node is not installed\n');
  process.exit(77);
}

async function main() {
  const [model, threadsArg, runsArg] = process.argv.slice(2);
  if (!model || threadsArg === undefined || !runsArg) {
    process.stderr.write('usage: ort_time.js MODEL.onnx THREADS RUNS\n');
    process.exit(2);
  }
  const ort = loadOrt();
  ort.env.logLevel = 'error';
  const threads = Number(threadsArg), runs = Number(runsArg);
  const opts = { graphOptimizationLevel: 'all' };
  if (threads > 0) Object.assign(opts, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  const session = await ort.InferenceSession.create(model, opts);
  // The input shape from the model file: onnxruntime-node 1.30 exposes it
  // through inputMetadata.
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  if (!meta || !meta.shape) throw new Error('no input shape in the session metadata');
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const n = dims.reduce((a, b) => a * b, 1);
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(n).fill(0.5), dims) };
  await session.run(feeds);
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const cpuMs = (cpu.user + cpu.system) / 1000 / runs;
  process.stdout.write(`${times[Math.floor(times.length / 2)].toFixed(2)} ${cpuMs.toFixed(2)}\n`);
}

main().catch((e) => { process.stderr.write(`ort_time: error: ${e && e.message ? e.message : e}\n`); process.exit(1); });
