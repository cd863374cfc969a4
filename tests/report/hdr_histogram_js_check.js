// Reads a tickpath latency.hlog with HdrHistogram's JavaScript implementation and checks it
// against what tickpath says is in it: node hdr_histogram_js_check.js NODE_MODULES SAMPLE_DIR
"use strict";
const fs = require("fs");
const path = require("path");
const [nodeModules, dir] = process.argv.slice(2);
const hdr = require(path.resolve(nodeModules, "hdr-histogram-js"));

const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
const reader = new hdr.HistogramLogReader(fs.readFileSync(path.join(dir, "sample.hlog"), "utf8"), 64);
let failures = 0;
const check = (ok, what) => {
  if (!ok) {
    failures++;
    console.error("MISMATCH: " + what);
  }
};
let n = 0;
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
  const e = expected[n++];
  if (e === undefined) {
    check(false, "more intervals in the log than written");
    break;
  }
  check(h.tag === e.tag, `interval ${n}: tag ${h.tag} != ${e.tag}`);
  check(h.totalCount === e.total, `interval ${n} ${e.tag}: totalCount ${h.totalCount} != ${e.total}`);
  check(h.maxValue === e.max, `interval ${n} ${e.tag}: maxValue ${h.maxValue} != ${e.max}`);
  check(Math.abs(h.startTimeStampMsec - (1764000000.5 + e.start_s) * 1000) < 1,
        `interval ${n}: start ${h.startTimeStampMsec} ms`);
  for (const [p, v] of Object.entries(e.percentiles)) {
    const got = h.getValueAtPercentile(Number(p));
    check(got === v, `interval ${n} ${e.tag}: p${p} ${got} != ${v}`);
  }
  if (e.total > 0) {
    const text = h.outputPercentileDistribution(5, 1000);
    check(text === e.hgrm, `interval ${n} ${e.tag}: percentile distribution differs from tickpath's .hgrm\n--- hdr-histogram-js\n${text}\n--- tickpath\n${e.hgrm}`);
  }
}
check(n === expected.length, `read ${n} intervals, wrote ${expected.length}`);
if (failures === 0) console.log(`hdr-histogram-js read ${n} intervals: tags, counts, max, percentiles and .hgrm text all match`);
process.exit(failures === 0 ? 0 : 1);
