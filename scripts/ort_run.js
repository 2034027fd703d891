#!/usr/bin/env node
// Run an ONNX model with onnxruntime-node on ONNX TensorProto (.pb) inputs and
// write the outputs as output_N.pb, so tests can cross-check rebocc against
// onnxruntime.
//
//   node scripts/ort_run.js MODEL.onnx --input input_0.pb [--input input_1.pb ...]
//                           --output-dir DIR
//
// $ORT_GRAPH_OPTIMIZATION_LEVEL sets the session's graph optimizations
// (disabled, basic, extended, all; default all): above basic onnxruntime
// rewrites some quantized graphs into kernels that are not exact.
//
// onnxruntime-node is looked up in $ORT_NODE_MODULES, then <repo>/.cache/ort/
// node_modules, then the normal node resolution. Install it with
//   scripts/ort_reference.sh install
// (npm install --ignore-scripts onnxruntime-node@1.30.0 into .cache/ort).
// Exit codes: 0 ok, 77 onnxruntime-node not installed (ctest SKIP), 1 errors,
// 2 usage.
//
// The TensorProto reader/writer is a minimal self-written protobuf codec:
// reads dims (1), data_type (2), float_data (4), int32_data (5), int64_data (7),
// name (8), raw_data (9), double_data (10); writes dims, data_type, name,
// raw_data. Supported element types: float32, float64, int32, int64, uint8,
// int8, int16, uint16, uint32, uint64, float16 (outputs; bits as stored), bool.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

function die(msg, code) {
  process.stderr.write(`ort_run: ${msg}\n`);
  process.exit(code);
}

function loadOrt() {
  const candidates = [];
  if (process.env.ORT_NODE_MODULES) candidates.push(process.env.ORT_NODE_MODULES);
  candidates.push(path.join(__dirname, '..', '.cache', 'ort', 'node_modules'));
  for (const dir of candidates) {
    const pkg = path.join(dir, 'onnxruntime-node');
    if (fs.existsSync(path.join(pkg, 'package.json'))) {
      return createRequire(path.join(dir, 'noop.js'))('onnxruntime-node');
    }
  }
  try {
    return require('onnxruntime-node');
  } catch (e) {
    die('onnxruntime-node is not installed (looked in ' + candidates.join(', ') +
        '); run scripts/ort_reference.sh install  -- skipping', 77);
  }
}

// ---- minimal protobuf ------------------------------------------------------
// element type -> [ort type name, typed array ctor, bytes]
const TYPES = {
  1: ['float32', Float32Array, 4],
  2: ['uint8', Uint8Array, 1],
  3: ['int8', Int8Array, 1],
  4: ['uint16', Uint16Array, 2],
  5: ['int16', Int16Array, 2],
  6: ['int32', Int32Array, 4],
  7: ['int64', BigInt64Array, 8],
  9: ['bool', Uint8Array, 1],
  10: ['float16', Uint16Array, 2], // the raw IEEE half bits
  11: ['float64', Float64Array, 8],
  12: ['uint32', Uint32Array, 4],
  13: ['uint64', BigUint64Array, 8],
};
const TYPE_BY_NAME = {};
for (const [k, v] of Object.entries(TYPES)) TYPE_BY_NAME[v[0]] = Number(k);

function readVarint(buf, pos) {
  let result = 0n, shift = 0n;
  for (;;) {
    if (pos.p >= buf.length) throw new Error('truncated varint');
    const b = buf[pos.p++];
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
    shift += 7n;
  }
  return BigInt.asIntN(64, result);
}

function decodeTensor(buf) {
  const t = { dims: [], dataType: 0, name: '', raw: null, floats: [], ints: [], doubles: [] };
  const pos = { p: 0 };
  while (pos.p < buf.length) {
    const key = Number(readVarint(buf, pos));
    const field = key >>> 3, wire = key & 7;
    if (wire === 0) {
      const v = readVarint(buf, pos);
      if (field === 1) t.dims.push(Number(v));
      else if (field === 2) t.dataType = Number(v);
      else if (field === 5 || field === 7) t.ints.push(v);
    } else if (wire === 2) {
      const len = Number(readVarint(buf, pos));
      const end = pos.p + len;
      if (end > buf.length) throw new Error('truncated field');
      const sub = buf.subarray(pos.p, end);
      if (field === 8) t.name = sub.toString('utf8');
      else if (field === 9) t.raw = sub;
      else if (field === 4) for (let o = 0; o + 4 <= len; o += 4) t.floats.push(sub.readFloatLE(o));
      else if (field === 10) for (let o = 0; o + 8 <= len; o += 8) t.doubles.push(sub.readDoubleLE(o));
      else if (field === 1 || field === 5 || field === 7) {
        const q = { p: 0 };
        while (q.p < sub.length) {
          const v = readVarint(sub, q);
          if (field === 1) t.dims.push(Number(v)); else t.ints.push(v);
        }
      }
      pos.p = end;
    } else if (wire === 5) {
      if (field === 4) t.floats.push(buf.readFloatLE(pos.p));
      pos.p += 4;
    } else if (wire === 1) {
      if (field === 10) t.doubles.push(buf.readDoubleLE(pos.p));
      pos.p += 8;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
  return t;
}

function tensorFromProto(ort, t, file) {
  const ty = TYPES[t.dataType];
  if (!ty) throw new Error(`${file}: unsupported TensorProto data_type ${t.dataType}`);
  const [name, Ctor, size] = ty;
  const n = t.dims.reduce((a, b) => a * b, 1);
  let data;
  if (t.raw) {
    if (t.raw.length !== n * size) throw new Error(`${file}: raw_data has ${t.raw.length} bytes, want ${n * size}`);
    const copy = new Uint8Array(t.raw); // aligned copy
    data = new Ctor(copy.buffer, 0, n);
  } else {
    const src = t.dataType === 1 ? t.floats : t.dataType === 11 ? t.doubles
      : t.dataType === 7 ? t.ints : t.ints.map(Number);
    if (src.length !== n) throw new Error(`${file}: ${src.length} values, want ${n}`);
    data = Ctor.from(src);
  }
  if (name === 'bool') data = Uint8Array.from(data, (x) => (x ? 1 : 0));
  return new ort.Tensor(name, data, t.dims);
}

function writeVarint(out, v) {
  let x = BigInt.asUintN(64, BigInt(v));
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
}

function encodeTensor(tensor, name) {
  const dt = TYPE_BY_NAME[tensor.type];
  if (!dt) throw new Error(`cannot write output of type ${tensor.type}`);
  const head = [];
  for (const d of tensor.dims) { head.push(0x08); writeVarint(head, d); }
  head.push(0x10); writeVarint(head, dt);
  const nameBytes = Buffer.from(name, 'utf8');
  head.push(0x42); writeVarint(head, nameBytes.length);
  let data = tensor.data;
  if (tensor.type === 'bool') data = Uint8Array.from(data, (x) => (x ? 1 : 0));
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const rawHead = [0x4a];
  writeVarint(rawHead, raw.length);
  return Buffer.concat([Buffer.from(head), nameBytes, Buffer.from(rawHead), raw]);
}

// ---- main ------------------------------------------------------------------
async function main() {
  const args = process.argv.slice(2);
  let model = null, outDir = null;
  const inputs = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--input') inputs.push(args[++i]);
    else if (a === '--output-dir') outDir = args[++i];
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: ort_run.js MODEL.onnx --input input_0.pb [...] --output-dir DIR\n');
      process.exit(0);
    } else if (!a.startsWith('--') && model === null) model = a;
    else die(`unknown argument ${a}`, 2);
  }
  if (!model || !outDir) die('usage: ort_run.js MODEL.onnx --input input_0.pb [...] --output-dir DIR', 2);
  if (!fs.existsSync(model)) die(`model not found: ${model}`, 1);
  const ort = loadOrt();
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1,
    graphOptimizationLevel: process.env.ORT_GRAPH_OPTIMIZATION_LEVEL || 'all',
  });
  const feeds = {};
  inputs.forEach((file, i) => {
    if (!fs.existsSync(file)) die(`input not found: ${file}`, 1);
    const t = decodeTensor(fs.readFileSync(file));
    // Bind by the tensor's name when it names a model input, else by position.
    const name = session.inputNames.includes(t.name) ? t.name : session.inputNames[i];
    if (name === undefined) die(`${file}: model has only ${session.inputNames.length} inputs`, 1);
    feeds[name] = tensorFromProto(ort, t, file);
  });
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length) die(`no data for model inputs: ${missing.join(', ')}`, 1);
  const results = await session.run(feeds);
  fs.mkdirSync(outDir, { recursive: true });
  session.outputNames.forEach((name, i) => {
    fs.writeFileSync(path.join(outDir, `output_${i}.pb`), encodeTensor(results[name], name));
  });
}

main().catch((e) => die(`error: ${e && e.message ? e.message : e}`, 1));
